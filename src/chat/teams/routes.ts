/**
 * `POST /teams/messages`: every activity authenticated by its Bot Framework token and its service
 * URL checked against the allow-list before anything is recorded; commands and clicks recorded
 * through the intake (the activity id is the replay key), then answered. Results go out
 * proactively through the outbox, well within Teams' 15 seconds.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Intake } from '../../core/intake.ts';
import { type ModuleLogger, within } from '../../modules/common.ts';
import type { Presented, Verdict } from './auth.ts';
import type { ServiceUrls } from './conversations.ts';
import type { GroupRoles } from './groups.ts';
import { type Activity, actionIdOf, activity, commandLine, conversationOf, firstIssue } from './parse.ts';
import { serviceUrlAllowed } from './settings.ts';

export interface TeamsRouteOptions {
  intake: Intake;
  authenticate(authorization: string | undefined, activity?: Presented): Promise<Verdict>;
  allowedServiceUrls: readonly string[];
  /** Where each conversation's service URL is kept. */
  serviceUrls: ServiceUrls;
  now?: () => Date;
  /** Roles from Entra groups, when `teams.groups` names some. */
  groups?: GroupRoles;
  roots: readonly string[];
  logger: ModuleLogger;
}

/** The invoke answer that tells Teams the click was taken (Universal Actions). */
const taken = { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Received.' };

export function teamsRoutes(o: TeamsRouteOptions): FastifyPluginAsync {
  const person = (a: Activity) => ({ userId: a.from.aadObjectId ?? a.from.id, userName: a.from.name });
  /** Group roles, by the Entra object id, never delaying the answer more than a second. */
  const extraRoles = async (a: Activity) => {
    const roles =
      o.groups && a.from.aadObjectId ? await within(o.groups.rolesFor(a.from.aadObjectId), 1000, []) : [];
    return roles.length ? { extraRoles: roles } : {};
  };

  const click = async (a: Activity, actionId: string) => {
    const { channel } = conversationOf(a.conversation.id);
    await o.intake.action(
      {
        platform: 'teams',
        userId: person(a).userId,
        channel,
        messageId: a.replyToId as string,
        actionId,
        ...(await extraRoles(a)),
      },
      { once: `activity:${a.id}` },
    );
  };

  return async (app: FastifyInstance) => {
    app.post('/teams/messages', { bodyLimit: 256 * 1024 }, async (request, reply) => {
      const parsed = activity.safeParse(request.body);
      if (!parsed.success) {
        const reason = firstIssue(parsed.error);
        // Unauthenticated callers learn nothing more than that.
        const verdict = await o.authenticate(request.headers.authorization);
        if (!verdict.ok) return reply.code(401).send();
        o.logger.warn({ url: request.url, reason }, 'Teams activity refused');
        return reply.code(400).send({ error: reason });
      }
      const a = parsed.data;
      if (!serviceUrlAllowed(a.serviceUrl, o.allowedServiceUrls)) {
        o.logger.warn(
          { url: request.url, serviceUrl: a.serviceUrl },
          'Teams activity refused: service URL not allowed',
        );
        return reply.code(403).send();
      }
      const verdict = await o.authenticate(request.headers.authorization, a);
      if (!verdict.ok) {
        o.logger.warn({ url: request.url, reason: verdict.reason }, 'Teams activity refused');
        return reply.code(verdict.status).send();
      }
      // The conversation's own (regional) service URL, on disk before anything is acknowledged.
      const { channel, threadId } = conversationOf(a.conversation.id);
      await o.serviceUrls.remember(channel, a.serviceUrl, o.now?.() ?? new Date());
      const actionId = actionIdOf(a);
      if (a.type === 'invoke' && a.name === 'adaptiveCard/action') {
        if (!actionId || !a.replyToId)
          return reply.code(400).send({ error: 'value.action.verb and replyToId are required' });
        await click(a, actionId);
        return reply.code(200).send(taken);
      }
      if (a.type !== 'message') return reply.code(200).send();
      if (actionId && a.replyToId) {
        // An Action.Submit from an older client arrives as a message carrying the button's data.
        await click(a, actionId);
        return reply.code(200).send();
      }
      if (!a.text?.trim()) return reply.code(200).send();
      await o.intake.command(
        {
          platform: 'teams',
          ...person(a),
          channel,
          ...(threadId ? { threadId } : {}),
          text: commandLine(a.text, o.roots),
          ...(await extraRoles(a)),
        },
        { once: `activity:${a.id}` },
      );
      return reply.code(200).send();
    });
  };
}
