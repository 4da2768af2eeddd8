/**
 * The one intake path every CI webhook takes: verify → parse → record → answer. The body is kept
 * as the bytes the CI system signed until the check passes; a delivery is answered only once it
 * is on disk (with its delivery id, claimed in the same transaction), and handled from that record
 * by the handler its module registered. How each outcome is answered is the vendor's to say.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Intake } from '../core/intake.ts';
import type { ModuleLogger } from '../modules/common.ts';

/** Request headers, lower-case, first value of each. */
export type Headers = (name: string) => string | undefined;

/** What a delivery asks for: recording (under a key, with the data its handler reads), nothing, or a 400. */
export type Parsed =
  | { kind: 'record'; key: string; data: unknown; delivery?: string }
  | { kind: 'ignore'; reason: string }
  | { kind: 'invalid'; reason: string };

/** Whether a request comes from the CI system; `reason` is for the log only (the answer is a bare 401). */
export type Verdict = { ok: true } | { ok: false; reason: string };

/** An answer: a status and a JSON body (none for a bare status). */
export interface Answer {
  status: number;
  body?: Record<string, unknown>;
}

export interface WebhookSpec {
  /** The intake source its records go under, and its handler's name: the CI system's. */
  source: string;
  /** `/webhooks/<name>`. */
  path: string;
  /** Largest accepted body in bytes. */
  bodyLimit: number;
  /** What to say when the content type is not JSON. */
  notJson: string;
  /** Whether the request comes from the CI system (its signature or token), on the raw body. */
  verify(raw: Buffer, header: Headers, query: Record<string, unknown>): Verdict | Promise<Verdict>;
  /** Reads a verified body. Throwing a WebhookBodyError is a malformed body (400, its message). */
  parse(raw: Buffer, header: Headers): Parsed | Promise<Parsed>;
  /** How a recorded delivery, one seen before, and one of no interest are answered. */
  answers: {
    recorded: Answer;
    duplicate: (delivery: string) => Answer;
    ignored: (reason: string) => Answer;
  };
}

const send = (reply: { code(n: number): { send(b?: unknown): unknown } }, answer: Answer) =>
  reply.code(answer.status).send(answer.body);

/** The fastify plugin serving `spec.path` through the intake. */
export function webhookRoute(
  spec: WebhookSpec,
  intake: Pick<Intake, 'record'>,
  logger: Pick<ModuleLogger, 'warn'>,
): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    // Keep the body as the exact bytes the CI system signed; parse only after the check passes.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    app.post(spec.path, { bodyLimit: spec.bodyLimit }, async (request, reply) => {
      const header: Headers = (name) => {
        const value = (request as FastifyRequest).headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      if (!(header('content-type') ?? '').toLowerCase().startsWith('application/json'))
        return reply.code(415).send({ error: spec.notJson });
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const verdict = await spec.verify(raw, header, (request.query ?? {}) as Record<string, unknown>);
      if (!verdict.ok) {
        logger.warn({ path: spec.path, reason: verdict.reason }, 'webhook refused');
        return reply.code(401).send();
      }
      let parsed: Parsed;
      try {
        parsed = await spec.parse(raw, header);
      } catch (error) {
        // A body the CI system's own schema would refuse says why; anything else stays in the log.
        const known = error instanceof WebhookBodyError;
        logger.warn({ path: spec.path, err: error }, 'webhook body refused');
        return reply
          .code(400)
          .send({ error: known ? error.message : 'The body is not a delivery deckhand can read.' });
      }
      if (parsed.kind === 'invalid') return reply.code(400).send({ error: parsed.reason });
      if (parsed.kind === 'ignore') return send(reply, spec.answers.ignored(parsed.reason));
      const once = parsed.delivery === undefined ? {} : { once: parsed.delivery };
      // On disk, with the delivery id claimed in the same transaction, before the CI system hears back.
      const recorded = await intake.record(spec.source, { key: parsed.key, data: parsed.data }, once);
      if (!recorded) return send(reply, spec.answers.duplicate(parsed.delivery ?? ''));
      return send(reply, spec.answers.recorded);
    });
  };
}

/** A body that is not what the CI system documents; its message is the 400's. */
export class WebhookBodyError extends Error {
  override name = 'WebhookBodyError';
}

/** Parses JSON or throws the sentence a 400 carries. */
export function jsonBody(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new WebhookBodyError('The body is not valid JSON.');
  }
}
