/**
 * `POST /webhooks/circleci`: CircleCI's outbound webhooks, verified on the raw body before anything
 * else is read, deduplicated on the payload `id` (CircleCI may deliver an event twice), answered at
 * once and acted on afterwards (CircleCI waits 10 s, then retries).
 * https://circleci.com/docs/webhooks/#communication-protocol
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Clock } from '../../core/ports.ts';
import type { DedupeStore } from '../../core/store.ts';
import {
  type CircleciEvent,
  type CircleciEventType,
  CircleciPayloadError,
  circleciEventTypes,
  eventType,
  parseCircleciEvent,
} from './parse.ts';
import { verifyCircleciSignature } from './verify.ts';

export interface CircleciRouteOptions {
  /** The webhook's secret token; without one every delivery is refused. */
  secret?: string;
  dedupe: DedupeStore;
  clock: Clock;
  logger: { warn(o: object, m?: string): void; error(o: object, m?: string): void };
  /** Largest accepted body (default 256 KiB; CircleCI's events are a few KiB). */
  bodyLimit?: number;
  /** Why an event is of no interest (e.g. an unknown project), or undefined to act on it. */
  ignore(event: CircleciEvent): string | undefined;
  /** Acts on a verified, first-seen event, after the answer has gone. */
  handle(event: CircleciEvent): Promise<void>;
}

/** The dedupe store's source name for CircleCI deliveries. */
export const dedupeSource = 'circleci-delivery';

export function circleciRoutes(o: CircleciRouteOptions): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    // Keep the body as the bytes CircleCI signed; parse only once the signature checks out.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    const header = (request: FastifyRequest, name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };

    app.post('/webhooks/circleci', { bodyLimit: o.bodyLimit ?? 256 * 1024 }, async (request, reply) => {
      if (!(header(request, 'content-type') ?? '').toLowerCase().startsWith('application/json'))
        return reply.code(415).send({ error: 'CircleCI webhooks are JSON.' });
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const verdict = verifyCircleciSignature(o.secret, raw, header(request, 'circleci-signature'));
      if (!verdict.ok) {
        o.logger.warn({ reason: verdict.reason }, 'CircleCI webhook refused');
        return reply.code(401).send();
      }
      let event: CircleciEvent;
      try {
        const body: unknown = JSON.parse(raw.toString('utf8'));
        const type = eventType(body);
        const announced = header(request, 'circleci-event-type');
        if (announced && announced !== type)
          throw new CircleciPayloadError(
            `The circleci-event-type header says ${announced}, the payload ${type}.`,
          );
        if (!circleciEventTypes.includes(type as CircleciEventType))
          return reply.code(200).send({ ignored: `event type ${type}` });
        event = parseCircleciEvent(body, o.clock.now());
      } catch (error) {
        const message = error instanceof CircleciPayloadError ? error.message : 'The body is not valid JSON.';
        return reply.code(400).send({ error: message });
      }
      const ignored = o.ignore(event);
      if (ignored) return reply.code(200).send({ ignored });
      if (!(await o.dedupe.claim(dedupeSource, event.id, o.clock.now())))
        return reply.code(200).send({ ignored: 'duplicate delivery' });
      setImmediate(() => {
        o.handle(event).catch((err: unknown) =>
          o.logger.error({ err, id: event.id }, 'CircleCI event failed'),
        );
      });
      return reply.code(202).send({ accepted: event.id });
    });
  };
}
