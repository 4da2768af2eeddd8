/** A real deckhand with a security channel, for the scanners' webhooks (SARIF, Snyk) end to end. */
import { startTestDeckhand } from '../../helpers/test-deckhand.ts';

export const sarifToken = 'sarif-test-token-0123456789';
export const snykSecret = 'snyk-test-secret';

/** Routes `kind: security` to #security; `security` is the section's YAML (e.g. `{ minSeverity: low }`). */
export async function securityDeckhand(security?: string, extraEnv: Record<string, string> = {}) {
  const yaml = `
database: { dataDir: data }
channels:
  general: {}
  security: {}
notifications:
  - { kind: security, channels: [security] }
${security ? `security: ${security}\n` : ''}`;
  const t = await startTestDeckhand({
    yaml,
    env: { SARIF_WEBHOOK_TOKEN: sarifToken, SNYK_WEBHOOK_SECRET: snykSecret, ...extraEnv },
    workers: false,
  });
  return {
    ...t,
    /** Records not yet handled: what the webhooks took in. */
    recorded: () => t.deckhand.stores.intake.count(),
    /** Handles what was recorded and delivers what that queued. */
    async drain() {
      await t.deckhand.startWorkers();
      await t.deckhand.handled();
      await t.deckhand.outbox.settle();
    },
  };
}
