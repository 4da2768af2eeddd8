/**
 * `POST /webhooks/github`: the signature is checked on the raw body before anything is parsed,
 * each `X-GitHub-Delivery` is handled once, and GitHub gets its answer once the delivery is
 * journalled on disk, before the work starts (it waits 10 s,
 * https://docs.github.com/en/webhooks/using-webhooks/best-practices-for-using-webhooks).
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { CiSystemContext } from '../../modules/ci-system.ts';
import { type GithubEvents, githubSource } from './events.ts';
import type { GithubVerifyResult } from './verify.ts';

/** What the route needs: a verifier, the event router and the core's dedupe store. */
export interface GithubWebhookOptions {
  verify: (rawBody: string, signature: string | undefined) => Promise<GithubVerifyResult>;
  events: Pick<GithubEvents, 'route'>;
  context: Pick<CiSystemContext, 'dedupe' | 'logger' | 'clock' | 'intake'>;
  /** Largest accepted body (GitHub sends up to 25 MB; run and job events are far smaller). */
  bodyLimit?: number;
}

/** The route GitHub is pointed at. */
export const githubWebhookPath = '/webhooks/github';
const JSON_TYPE = 'application/json';

/** The encapsulated fastify plugin serving `POST /webhooks/github`. */
export function githubWebhookRoutes(o: GithubWebhookOptions): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    // Keep the body as the exact text GitHub signed; parse only after the signature checks out.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(JSON_TYPE, { parseAs: 'string' }, (_request, body, done) => done(null, body));
    app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    const header = (request: FastifyRequest, name: string) => {
      const v = request.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };

    app.post(
      githubWebhookPath,
      { bodyLimit: o.bodyLimit ?? 1024 * 1024 },
      async (request, reply: FastifyReply) => {
        if (!(request.headers['content-type'] ?? '').startsWith(JSON_TYPE)) {
          return reply.code(415).send({ error: 'Set the webhook content type to application/json.' });
        }
        const raw = typeof request.body === 'string' ? request.body : '';
        const verdict = await o.verify(raw, header(request, 'x-hub-signature-256'));
        if (!verdict.ok) {
          o.context.logger.warn({ reason: verdict.reason }, 'GitHub webhook refused');
          return reply.code(401).send();
        }
        const event = header(request, 'x-github-event');
        const delivery = header(request, 'x-github-delivery');
        if (!event || !delivery) {
          return reply
            .code(400)
            .send({ error: 'X-GitHub-Event and X-GitHub-Delivery headers are required.' });
        }
        let payload: unknown;
        try {
          payload = JSON.parse(raw);
        } catch {
          return reply.code(400).send({ error: 'The body is not valid JSON.' });
        }
        if (!payload || typeof payload !== 'object' || Array.isArray(payload)) {
          return reply.code(400).send({ error: 'The body is not a JSON object.' });
        }
        if (event === 'ping') return reply.code(200).send({ ok: true });
        const routed = o.events.route(event, payload);
        if (routed.outcome === 'invalid') return reply.code(400).send({ error: routed.reason });
        const duplicate = () =>
          reply.code(409).send({ error: `Delivery ${delivery.slice(0, 64)} was already received.` });
        const once = { source: 'github-delivery', key: delivery };
        if (routed.outcome === 'ignored') {
          if (!(await o.context.dedupe.claim(once.source, once.key, o.context.clock.now())))
            return duplicate();
          return reply.code(200).send({ ok: true, ignored: routed.reason });
        }
        // Claimed and journalled on disk, together, before GitHub hears back: a crash now replays
        // the delivery rather than losing it.
        const item = { key: routed.key, data: routed.entry };
        if (!(await o.context.intake.record(githubSource, item, { once: delivery }))) return duplicate();
        return reply.code(202).send({ ok: true });
      },
    );
  };
}
