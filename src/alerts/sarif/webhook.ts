/**
 * `POST /webhooks/sarif`: a SARIF 2.1.0 log from any scanner, recorded through the intake before the
 * answer. `Authorization: Bearer <SARIF_WEBHOOK_TOKEN>`; the repository (required), the run's label
 * and its link as query parameters `repository`, `run`, `url` or headers `X-Deckhand-Repository`,
 * `X-Deckhand-Run`, `X-Deckhand-Run-Url`; `Content-Type: application/json` or
 * `application/sarif+json` (https://www.iana.org/assignments/media-types/application/sarif+json);
 * `Content-Encoding: gzip` accepted. 401 forged, 400 malformed, 413 too large (compressed or not),
 * 415 not JSON, 202 recorded, 200 a repeat of the same upload.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Intake } from '../../core/intake.ts';
import { type Scan, securityScanSource } from '../../core/security/findings.ts';
import { parseSarif, SarifError } from './parse.ts';
import { verifyBearer } from './verify.ts';

export const sarifWebhookPath = '/webhooks/sarif';

export interface SarifWebhookOptions {
  /** `SARIF_WEBHOOK_TOKEN`; without it every upload is refused. */
  token: string | undefined;
  /** Largest body, compressed and decompressed, in bytes (`security.sarifBodyLimit`). */
  bodyLimit: number;
  intake: Pick<Intake, 'record'>;
  logger: { warn(o: object, m?: string): void };
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const repositoryPattern = /^[\w.@/:-]{1,200}$/;

/** The upload's repository, run label and link, from the query or the headers. */
function provenance(request: FastifyRequest): Pick<Scan, 'repository' | 'origin' | 'url'> {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const pick = (param: string, header: string): string | undefined => {
    const q = query[param];
    const h = request.headers[header];
    const value = typeof q === 'string' ? q : Array.isArray(h) ? h[0] : h;
    return value?.trim() || undefined;
  };
  const repository = pick('repository', 'x-deckhand-repository');
  if (!repository || !repositoryPattern.test(repository))
    throw new Refusal(
      400,
      'Name the repository: ?repository=owner/repo or an X-Deckhand-Repository header (letters, digits, . _ - / @ :).',
    );
  const run = pick('run', 'x-deckhand-run')?.slice(0, 120);
  const url = pick('url', 'x-deckhand-run-url');
  if (url && !/^https?:\/\/\S{1,490}$/.test(url))
    throw new Refusal(400, 'The run url must be an http(s) URL.');
  return { repository, origin: run ? `upload ${run}` : 'SARIF upload', ...(url ? { url } : {}) };
}

const gunzipAsync = promisify(gunzip);

/** The body as sent or gunzipped (off the event loop), bounded by `limit` either way. */
async function decoded(request: FastifyRequest, raw: Buffer, limit: number): Promise<Buffer> {
  const encoding = String(request.headers['content-encoding'] ?? 'identity')
    .toLowerCase()
    .trim();
  if (encoding === 'identity') return raw;
  if (encoding !== 'gzip') throw new Refusal(415, 'Send the SARIF log as is or with Content-Encoding: gzip.');
  try {
    return await gunzipAsync(raw, { maxOutputLength: limit });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw new Refusal(413, `The SARIF log is larger than ${limit} bytes once decompressed.`);
    throw new Refusal(400, 'The body is not valid gzip.');
  }
}

/** The fastify plugin serving `POST /webhooks/sarif`. */
export function sarifWebhook(o: SarifWebhookOptions): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: o.bodyLimit }, (_r, body, done) =>
      done(null, body),
    );
    app.post(sarifWebhookPath, { bodyLimit: o.bodyLimit }, async (request, reply) => {
      const auth = request.headers.authorization;
      const verdict = verifyBearer(o.token, Array.isArray(auth) ? auth[0] : auth);
      if (!verdict.ok) {
        o.logger.warn({ path: sarifWebhookPath, reason: verdict.reason }, 'webhook refused');
        return o.token
          ? reply.code(401).send()
          : reply.code(401).send({ error: 'SARIF uploads are off: set SARIF_WEBHOOK_TOKEN to accept them.' });
      }
      const type = String(request.headers['content-type'] ?? '').toLowerCase();
      if (!/^application\/(sarif\+)?json\b/.test(type))
        return reply
          .code(415)
          .send({ error: 'Send the SARIF log as application/sarif+json or application/json.' });
      let scan: Scan;
      let raw: Buffer;
      try {
        const where = provenance(request);
        raw = await decoded(
          request,
          Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
          o.bodyLimit,
        );
        let doc: unknown;
        try {
          doc = JSON.parse(raw.toString('utf8'));
        } catch {
          throw new Refusal(400, 'The body is not valid JSON.');
        }
        scan = { ...where, findings: parseSarif(doc) };
      } catch (error) {
        if (error instanceof Refusal || error instanceof SarifError) {
          const status = error instanceof Refusal ? error.status : 400;
          o.logger.warn({ path: sarifWebhookPath, reason: error.message }, 'webhook body refused');
          return reply.code(status).send({ error: error.message });
        }
        throw error;
      }
      // The same log uploaded again for the same repository and run is one delivery.
      const once = createHash('sha256')
        .update(JSON.stringify([scan.repository, scan.origin]))
        .update(raw)
        .digest('hex');
      const recorded = await o.intake.record(
        securityScanSource,
        { key: `security:${scan.repository}`, data: scan },
        { once: `sarif:${once}` },
      );
      if (!recorded) return reply.code(200).send({ duplicate: true });
      return reply.code(202).send({ recorded: scan.findings.length });
    });
  };
}
