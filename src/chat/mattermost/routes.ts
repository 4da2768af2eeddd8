/**
 * Mattermost's endpoints. Slash commands carry the command's token (header `Authorization: Token …`
 * and the `token` field); button clicks carry deckhand's MAC in their context. Each request is
 * checked, then recorded through the intake, then answered.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Intake } from '../../core/intake.ts';
import { type ModuleLogger, within } from '../../modules/common.ts';
import { tokenMatches, verifyAction } from './actions.ts';
import type { GroupRoles } from './groups.ts';
import { actionRequest, firstIssue, slashCommand } from './parse.ts';
import { renderMattermost } from './render.ts';

export interface MattermostRouteOptions {
  intake: Intake;
  commandTokens: readonly string[];
  actionSecret: string;
  /** Slash command → the family root it types (`/ci` → `ci`). */
  rootOf(command: string): string | undefined;
  roots: readonly string[];
  groups?: GroupRoles;
  logger: ModuleLogger;
  /** How long a command may take before the answer says what happens next. */
  ackWithinMs?: number;
}

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const bodyLimit = 64 * 1024;

/** Group roles, but never at the cost of the answer: a slow Mattermost means none this time. */
const rolesWithin = (groups: GroupRoles | undefined, userId: string, ms: number): Promise<string[]> =>
  groups ? within(groups.rolesFor(userId), ms, []) : Promise.resolve([]);

export function mattermostRoutes(o: MattermostRouteOptions): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser([FORM, JSON_TYPE], { parseAs: 'string' }, (_r, body, done) => done(null, body));
    const is = (request: FastifyRequest, type: string) =>
      (request.headers['content-type'] ?? '').startsWith(type);

    app.post('/mattermost/commands', { bodyLimit }, async (request, reply) => {
      if (!is(request, FORM)) return reply.code(415).send({ error: 'Slash commands are form-encoded.' });
      const form = Object.fromEntries(new URLSearchParams(request.body as string));
      const header = request.headers.authorization;
      const given = header?.startsWith('Token ') ? header.slice(6) : form.token;
      if (!tokenMatches(o.commandTokens, given)) {
        o.logger.warn({ url: request.url }, 'Mattermost command refused: wrong or missing token');
        return reply.code(401).send({ error: 'Unknown slash command token.' });
      }
      const parsed = slashCommand.safeParse(form);
      if (!parsed.success) {
        const reason = firstIssue(parsed.error);
        o.logger.warn({ url: request.url, reason }, 'Mattermost payload refused');
        return reply.code(400).send({ error: reason });
      }
      const body = parsed.data;
      const root = o.rootOf(body.command);
      if (!root) {
        const known = o.roots.map((r) => `/${r}`).join(', ');
        return {
          response_type: 'ephemeral',
          text: `deckhand does not answer ${body.command} here (it answers ${known}).`,
        };
      }
      const receipt = await o.intake.command(
        {
          platform: 'mattermost',
          userId: body.user_id,
          userName: body.user_name,
          channel: body.channel_id,
          ...(body.root_id ? { threadId: body.root_id } : {}),
          text: `/${root} ${body.text}`.trim(),
          extraRoles: await rolesWithin(o.groups, body.user_id, 300),
        },
        // Each invocation has its own trigger id: a replayed request is not run twice.
        {
          answerWithinMs: o.ackWithinMs ?? 2000,
          once: body.trigger_id ? `trigger:${body.trigger_id}` : undefined,
        },
      );
      const answer = receipt.duplicate ? undefined : receipt.reply;
      // A card went to the channel through the outbox: nothing more to say here.
      if (!answer || answer.queued) return reply.code(200).send();
      const post = renderMattermost(answer.message);
      return {
        response_type: answer.starts ? 'in_channel' : 'ephemeral',
        text: post.message,
        ...(post.props.attachments ? { attachments: post.props.attachments } : {}),
      };
    });

    app.post('/mattermost/actions', { bodyLimit }, async (request, reply) => {
      if (!is(request, JSON_TYPE)) return reply.code(415).send({ error: 'Button clicks are JSON.' });
      let raw: unknown;
      try {
        raw = JSON.parse(request.body as string);
      } catch {
        return reply.code(400).send({ error: 'The body is not valid JSON.' });
      }
      const parsed = actionRequest.safeParse(raw);
      if (!parsed.success) {
        // A click without deckhand's context was not made by deckhand's button.
        const reason = firstIssue(parsed.error);
        o.logger.warn({ url: request.url, reason }, 'Mattermost click refused');
        return reply.code(reason.startsWith('context') ? 401 : 400).send({ error: reason });
      }
      const click = parsed.data;
      if (!verifyAction(o.actionSecret, click.channel_id, click.context)) {
        o.logger.warn({ url: request.url }, 'Mattermost click refused: its context was not made by deckhand');
        return reply.code(401).send({ error: 'This button was not made by deckhand.' });
      }
      await o.intake.action(
        {
          platform: 'mattermost',
          userId: click.user_id,
          channel: click.channel_id,
          messageId: click.post_id,
          actionId: click.context.action,
          extraRoles: await rolesWithin(o.groups, click.user_id, 1000),
        },
        click.trigger_id ? { once: `trigger:${click.trigger_id}:${click.context.action}` } : {},
      );
      // The card is updated in place through the outbox; nothing to change from here.
      return reply.send({});
    });
  };
}
