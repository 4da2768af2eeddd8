/** `deckhand start`: run the server until SIGINT/SIGTERM; SIGHUP reloads the config. */
import type { LoadedConfig } from '../config/load.ts';
import { createDeckhand } from '../server/deckhand.ts';

export async function runStart(config: LoadedConfig, port?: number): Promise<void> {
  const deckhand = await createDeckhand({ config });
  const log = deckhand.logger;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    await deckhand.close();
    process.exit(0);
  };
  // Handlers first: a signal sent as soon as "deckhand is up" shows must find them in place.
  // `kill -HUP <pid>` reloads people, roles, policy and gates without a restart; both outcomes are audited.
  process.on('SIGHUP', () => {
    deckhand.reload().catch((err: unknown) => log.error({ err }, 'config reload failed'));
  });
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  const address = await deckhand.listen(port ?? config.server.port).catch(async (error: unknown) => {
    await deckhand.close().catch(() => undefined);
    throw error;
  });
  log.info(
    { address, config: config.file },
    `deckhand is up: open ${address.replace('127.0.0.1', 'localhost')}`,
  );
}
