/** Snyk's webhook, `POST /webhooks/snyk`: signed deliveries, recorded through the intake before the answer. */
import type { FastifyPluginAsync } from 'fastify';
import { jsonBody, type Parsed, webhookRoute } from '../../ci/webhook-route.ts';
import type { Intake } from '../../core/intake.ts';
import { securityScanSource } from '../../core/security/findings.ts';
import { parseSnyk } from './parse.ts';
import { verifySnyk } from './verify.ts';

export { parseSnyk } from './parse.ts';
export { signSnykPayload, verifySnyk } from './verify.ts';

export const snykWebhookPath = '/webhooks/snyk';

export interface SnykWebhookOptions {
  /** `SNYK_WEBHOOK_SECRET`, the `secret` the webhook was created with; without it every delivery is refused. */
  secret: string | undefined;
  intake: Pick<Intake, 'record'>;
  logger: { warn(o: object, m?: string): void };
  /** Largest body in bytes (default 5 MiB: a snapshot lists every new issue in full). */
  bodyLimit?: number;
}

/** The fastify plugin serving `POST /webhooks/snyk`. */
export function snykWebhook(o: SnykWebhookOptions): FastifyPluginAsync {
  return webhookRoute(
    {
      source: securityScanSource,
      path: snykWebhookPath,
      bodyLimit: o.bodyLimit ?? 5 * 1024 * 1024,
      notJson: 'Snyk sends application/json.',
      verify: (raw, header) => verifySnyk(o.secret, raw, header('x-hub-signature')),
      parse(raw, header): Parsed {
        const event = parseSnyk(header('x-snyk-event'), jsonBody(raw));
        if (event.kind === 'invalid') return { kind: 'invalid', reason: event.reason };
        if (event.kind === 'ping') return { kind: 'ignore', reason: 'ping' };
        if (event.kind === 'other') return { kind: 'ignore', reason: `event ${event.event} is not read` };
        const transport = header('x-snyk-transport-id');
        return {
          kind: 'record',
          key: `security:${event.scan.repository}`,
          data: event.scan,
          ...(transport ? { delivery: `snyk:${transport}` } : {}),
        };
      },
      answers: {
        recorded: { status: 202, body: { recorded: true } },
        duplicate: (delivery) => ({ status: 200, body: { duplicate: delivery } }),
        ignored: (reason) => ({ status: 200, body: { ignored: reason } }),
      },
    },
    o.intake,
    o.logger,
  );
}
