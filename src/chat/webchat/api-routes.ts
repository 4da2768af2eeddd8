/** The web chat's JSON API: config, messages, button actions and the live event stream. */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { errorId } from '../../core/errors.ts';
import type { Intake } from '../../core/intake.ts';
import type { Clock } from '../../core/ports.ts';
import {
  BODY_LIMIT,
  channelParams,
  check,
  listQuery,
  postActionBody,
  postMessageBody,
  requestErrorSentence,
} from './api-schemas.ts';
import type { WebchatDirectory } from './directory.ts';
import type { EventHub } from './event-hub.ts';
import type { WebchatStore } from './message-store.ts';
import { type Publish, renderRows } from './publisher.ts';

/** Most messages one listing returns. */
export const LIST_LIMIT = 200;

/** What the API routes share with the rest of the adapter. */
export interface ApiDeps {
  /** The page's title. */
  title: string;
  store: WebchatStore;
  directory: WebchatDirectory;
  hub: EventHub;
  publish: Publish;
  intake: Intake;
  clock: Clock;
}

const fail = (reply: FastifyReply, status: number, error: string) => reply.code(status).send({ error });

/** Registers the API routes on an encapsulated fastify instance. */
export async function registerApiRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const { title, store, directory, hub, publish, intake, clock } = deps;

  // Bodies are JSON only; without this, text/plain would reach the handlers as a string.
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return fail(reply, status, requestErrorSentence(error));
    const id = errorId();
    request.log.error({ err: error, errorId: id }, 'webchat request failed');
    return fail(reply, 500, `Something went wrong on the server; the log has the details (error id ${id}).`);
  });

  app.get('/api/webchat/config', async () => {
    const configured = directory.configuredChannels();
    const seen = new Set(configured);
    const extra = (await store.channels()).filter((channel) => !seen.has(channel));
    return {
      title,
      channels: [...configured, ...extra].map((id) => ({ id, name: id })),
      people: directory.people(),
    };
  });

  app.get('/api/webchat/channels/:channel/messages', async (request, reply) => {
    const params = check(channelParams, request.params);
    if (!params.ok) return fail(reply, 400, params.error);
    const query = check(listQuery, request.query);
    if (!query.ok) return fail(reply, 400, query.error);
    const { channel } = params.data;
    const { thread, after } = query.data;
    if (thread !== undefined) {
      const parent = await store.get(Number(thread));
      if (!parent || parent.channel !== channel) {
        return fail(reply, 404, `There is no message ${thread} in #${channel}.`);
      }
    }
    const rows = await store.list({
      channel,
      limit: LIST_LIMIT,
      ...(thread === undefined ? {} : { thread }),
      ...(after === undefined ? {} : { after: Number(after) }),
    });
    return { messages: await renderRows(store, rows) };
  });

  app.post('/api/webchat/messages', { bodyLimit: BODY_LIMIT }, async (request, reply) => {
    const body = check(postMessageBody, request.body);
    if (!body.ok) return fail(reply, 400, body.error);
    const { channel, user, text, threadId } = body.data;
    let threadRoot: string | null = null;
    if (threadId !== undefined) {
      const parent = await store.get(Number(threadId));
      if (!parent || parent.channel !== channel) {
        return fail(reply, 404, `There is no message ${threadId} in #${channel} to reply to.`);
      }
      threadRoot = parent.threadId ?? String(parent.id);
    }
    const userName = directory.nameOf(user);
    const row = await store.insert(
      {
        channel,
        threadId: threadRoot,
        author: { id: user, name: userName, bot: false },
        body: JSON.stringify({ text }),
      },
      clock.now(),
    );
    const view = await publish(row, true);
    const command = text.trim();
    if (command.startsWith('/')) {
      await intake.command({
        platform: 'webchat',
        userId: user,
        userName,
        channel,
        ...(threadRoot ? { threadId: threadRoot } : {}),
        text: command,
      });
    }
    return reply.code(202).send(view);
  });

  app.post('/api/webchat/actions', { bodyLimit: BODY_LIMIT }, async (request, reply) => {
    const body = check(postActionBody, request.body);
    if (!body.ok) return fail(reply, 400, body.error);
    const { messageId, actionId, user, input } = body.data;
    const row = await store.get(Number(messageId));
    if (!row) return fail(reply, 404, `There is no message ${messageId}.`);
    const [view] = await renderRows(store, [row]);
    if (!view?.actions.some((action) => action.id === actionId)) {
      return fail(reply, 400, `Message ${messageId} has no button "${actionId}".`);
    }
    await intake.action({
      platform: 'webchat',
      userId: user,
      channel: row.channel,
      messageId,
      actionId,
      ...(input ? { input } : {}),
    });
    return reply.code(202).send({ ok: true });
  });

  app.get('/api/webchat/events', (request, reply) => {
    reply.hijack();
    hub.attach(request.raw, reply.raw);
  });
}
