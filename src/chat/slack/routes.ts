/**
 * Slack's HTTP endpoints. Every request is verified on its raw body before it is parsed
 * (https://api.slack.com/authentication/verifying-requests-from-slack); failures get a bare 401.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { SlackHandlers } from './handlers-types.ts';
import {
  blockActions,
  parseEventCallback,
  parseInteractionForm,
  parseSlashCommand,
  SlackPayloadError,
} from './parse.ts';
import { verifySlackRequest } from './verify.ts';

export interface SlackRouteOptions {
  signingSecret: string;
  handlers: SlackHandlers;
  logger: { warn(o: object, m?: string): void; error(o: object, m?: string): void };
  now?: () => number;
  /** Largest accepted body; interaction payloads carry the whole message (default 512 KiB). */
  bodyLimit?: number;
}

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

export function slackRoutes(o: SlackRouteOptions): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    // Keep bodies as the raw text Slack signed; parse only after the signature checks out.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser([FORM, JSON_TYPE], { parseAs: 'string' }, (_request, body, done) =>
      done(null, body),
    );
    const bodyLimit = o.bodyLimit ?? 512 * 1024;

    const verified = (request: FastifyRequest): boolean => {
      const header = (name: string) => {
        const v = request.headers[name];
        return Array.isArray(v) ? v[0] : v;
      };
      const result = verifySlackRequest({
        signingSecret: o.signingSecret,
        rawBody: typeof request.body === 'string' ? request.body : '',
        signature: header('x-slack-signature'),
        timestamp: header('x-slack-request-timestamp'),
        nowMs: o.now?.(),
      });
      if (!result.ok) o.logger.warn({ url: request.url, reason: result.reason }, 'Slack request refused');
      return result.ok;
    };
    const arrival = (request: FastifyRequest) => {
      const signature = request.headers['x-slack-signature'];
      return { signature: typeof signature === 'string' ? signature : undefined };
    };
    const is = (request: FastifyRequest, type: string) =>
      (request.headers['content-type'] ?? '').startsWith(type);
    const bad = (reply: FastifyReply, error: unknown, url: string) => {
      if (!(error instanceof SlackPayloadError)) throw error;
      o.logger.warn({ url, reason: error.message }, 'Slack payload refused');
      return reply.code(400).send({ error: error.message });
    };

    app.post('/slack/commands', { bodyLimit }, async (request, reply) => {
      if (!is(request, FORM)) return reply.code(415).send({ error: 'Slash commands are form-encoded.' });
      const form = new URLSearchParams(request.body as string);
      // Slack checks the certificate with an unsigned request; answer and do nothing.
      if (form.get('ssl_check') === '1') return reply.code(200).send();
      if (!verified(request)) return reply.code(401).send();
      try {
        const command = parseSlashCommand(form);
        return reply.code(200).send(await o.handlers.command(command, arrival(request)));
      } catch (error) {
        return bad(reply, error, request.url);
      }
    });

    app.post('/slack/interactions', { bodyLimit }, async (request, reply) => {
      if (!is(request, FORM)) return reply.code(415).send({ error: 'Interactions are form-encoded.' });
      if (!verified(request)) return reply.code(401).send();
      let payload: unknown;
      try {
        payload = parseInteractionForm(new URLSearchParams(request.body as string));
        blockActions(payload); // a malformed click is a 400 now, not a log line later
      } catch (error) {
        return bad(reply, error, request.url);
      }
      // Recorded before Slack hears back; handled from the record.
      await o.handlers.interaction(payload, arrival(request));
      return reply.code(200).send();
    });

    app.post('/slack/events', { bodyLimit }, async (request, reply) => {
      if (!is(request, JSON_TYPE)) return reply.code(415).send({ error: 'Events are JSON.' });
      if (!verified(request)) return reply.code(401).send();
      let body: { type?: unknown; challenge?: unknown; event_id?: unknown; event?: unknown };
      try {
        body = JSON.parse(request.body as string);
      } catch {
        return reply.code(400).send({ error: 'The body is not valid JSON.' });
      }
      if (!body || typeof body !== 'object')
        return reply.code(400).send({ error: 'The body is not an object.' });
      if (body.type === 'url_verification') {
        if (typeof body.challenge !== 'string')
          return reply.code(400).send({ error: 'No challenge to answer.' });
        return reply.send({ challenge: body.challenge });
      }
      if (body.type !== 'event_callback') return reply.code(200).send();
      let callback: ReturnType<typeof parseEventCallback>;
      try {
        callback = parseEventCallback(body);
      } catch (error) {
        return bad(reply, error, request.url);
      }
      await o.handlers.event(callback);
      return reply.code(200).send();
    });
  };
}
