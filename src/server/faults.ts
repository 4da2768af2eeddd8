/**
 * Test only: a deterministic fault for the crash tests. With `DECKHAND_TEST_KILL_AFTER_POST` set
 * to a platform's name, the process kills itself (SIGKILL, as `kill -9` would) right after that
 * platform accepted a post and before the outbox records it: the next start finds the message in
 * doubt. Unset, as in production, there is no hook at all.
 */
import type { OutboxOptions } from '../core/outbox.ts';

export const KILL_AFTER_POST = 'DECKHAND_TEST_KILL_AFTER_POST';

export function killAfterPost(
  env: Record<string, string | undefined>,
  logger: { warn(obj: object, msg?: string): void },
): OutboxOptions['afterSend'] {
  const platform = env[KILL_AFTER_POST];
  if (!platform) return undefined;
  logger.warn(
    { platform },
    `${KILL_AFTER_POST} is set: this process kills itself after its first post there (a test fault; unset it)`,
  );
  return (item, posted) => {
    if (posted && item.platform === platform) process.kill(process.pid, 'SIGKILL');
  };
}
