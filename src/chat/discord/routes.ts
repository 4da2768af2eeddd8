/**
 * `POST /discord/interactions`: verified on its raw body, checked against the fields deckhand
 * reads, recorded through the intake (the interaction id is its replay key), then answered within
 * Discord's 3 seconds.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { InteractionResponseFlags, InteractionResponseType, InteractionType } from 'discord-interactions';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Intake, Receipt } from '../../core/intake.ts';
import type { FamilyShape } from '../../modules/chat-platform.ts';
import type { ModuleLogger } from '../../modules/common.ts';
import { commandText, firstIssue, type Interaction, interaction } from './parse.ts';
import { type DiscordMessage, renderDiscord } from './render.ts';
import { verifyDiscordRequest } from './verify.ts';

/** The interaction's own webhook: the deferred answer's message, edited or removed (token valid 15 min). */
export interface InteractionWebhook {
  edit(token: string, body: DiscordMessage): Promise<unknown>;
  remove(token: string): Promise<void>;
}

export interface DiscordRouteOptions {
  intake: Intake;
  webhook: InteractionWebhook;
  publicKey: string;
  families: readonly FamilyShape[];
  /** Discord role id → deckhand roles. */
  roles: Record<string, string[]>;
  logger: ModuleLogger;
  /** How long a command may take before the answer is deferred (Discord waits 3 s). */
  ackWithinMs?: number;
  /** How long a deferred answer may wait for its reply (the interaction token lasts 15 minutes). */
  deferredWithinMs?: number;
  /** Keeps a deferred interaction's token (sealed) until it is answered, so a restart answers it (deferred.ts). */
  deferred?: {
    save(origin: string, channel: string, token: string): Promise<void>;
    done(origin: string): Promise<void>;
  };
  now?: () => number;
}

const ephemeral = (content: string) => ({
  type: InteractionResponseType.CHANNEL_MESSAGE_WITH_SOURCE,
  data: { content, flags: InteractionResponseFlags.EPHEMERAL, allowed_mentions: { parse: [] } },
});

export function discordRoutes(o: DiscordRouteOptions): FastifyPluginAsync {
  const who = (i: Interaction) => {
    const user = i.member?.user ?? i.user;
    const extraRoles = [...new Set((i.member?.roles ?? []).flatMap((r) => o.roles[r] ?? []))];
    return { userId: user?.id, userName: user?.username, extraRoles };
  };

  const command = async (i: Interaction) => {
    const root = i.data?.name ?? '';
    if (!o.families.some((f) => f.root === root))
      return ephemeral(
        `deckhand does not answer /${root} (it answers ${o.families.map((f) => `/${f.root}`).join(', ')}).`,
      );
    const { userId, userName, extraRoles } = who(i);
    let recorded = () => {};
    const onDisk = new Promise<void>((resolve) => {
      recorded = resolve;
    });
    let origin: string | undefined;
    const receipt = o.intake.command(
      {
        platform: 'discord',
        userId: userId as string,
        userName,
        channel: i.channel_id as string,
        text: commandText(root, i.data?.options ?? [], o.families),
        extraRoles,
      },
      {
        // Past this the intake answers with what happens next and the reply goes out with the bot token.
        answerWithinMs: o.deferredWithinMs ?? 14 * 60_000,
        once: `interaction:${i.id}`,
        onRecorded: (id) => {
          origin = id;
          recorded();
        },
      },
    );
    const quick = await Promise.race([receipt, sleep(o.ackWithinMs ?? 2000, undefined, { ref: false })]);
    if (quick) return answer(quick);
    // Not ready in time: once it is on disk, defer; the reply then edits the deferred message.
    const settled = await Promise.race([receipt, onDisk.then(() => undefined)]);
    if (settled) return answer(settled);
    const token = i.token;
    if (!token) return answer(await receipt);
    // Kept before the deferral is acknowledged, so a restart still answers in its place.
    const kept = await keep(origin, i.channel_id as string, token);
    void receipt
      .then(async (r) => {
        const reply = r.duplicate ? undefined : r.reply;
        if (!reply || reply.queued) await o.webhook.remove(token);
        else await o.webhook.edit(token, renderDiscord(reply.message));
        if (kept) await o.deferred?.done(kept);
      })
      .catch((error: unknown) =>
        o.logger.warn({ err: (error as Error).name }, 'could not edit a deferred Discord answer'),
      );
    return { type: InteractionResponseType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE };
  };

  /** Saves a deferred interaction's token; the origin when kept (a failure only costs the restart case). */
  const keep = async (origin: string | undefined, channel: string, token: string) => {
    if (!origin || !o.deferred) return undefined;
    try {
      await o.deferred.save(origin, channel, token);
      return origin;
    } catch (error) {
      // Never the token, nor the error's text (it could quote it).
      o.logger.warn({ err: (error as Error).name }, 'could not keep a deferred Discord answer for a restart');
      return undefined;
    }
  };

  const answer = (receipt: Receipt) => {
    if (receipt.duplicate) return ephemeral('This request was already received.');
    const reply = receipt.reply;
    if (!reply || reply.queued) return ephemeral('On it: the answer follows in this channel.');
    const data = renderDiscord(reply.message);
    return {
      type: InteractionResponseType.CHANNEL_MESSAGE_WITH_SOURCE,
      data: { ...data, ...(reply.starts ? {} : { flags: InteractionResponseFlags.EPHEMERAL }) },
    };
  };

  const click = async (i: Interaction) => {
    const { userId, extraRoles } = who(i);
    await o.intake.action(
      {
        platform: 'discord',
        userId: userId as string,
        channel: i.channel_id as string,
        messageId: i.message?.id as string,
        actionId: i.data?.custom_id as string,
        extraRoles,
      },
      { once: `interaction:${i.id}` },
    );
    // Acknowledged without changing the message; the outbox updates the card.
    return { type: InteractionResponseType.DEFERRED_UPDATE_MESSAGE };
  };

  return async (app: FastifyInstance) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_r, body, done) => done(null, body));
    app.post('/discord/interactions', { bodyLimit: 256 * 1024 }, async (request, reply) => {
      const header = (name: string) => {
        const v = request.headers[name];
        return Array.isArray(v) ? v[0] : v;
      };
      const verified = await verifyDiscordRequest({
        publicKey: o.publicKey,
        rawBody: typeof request.body === 'string' ? request.body : '',
        signature: header('x-signature-ed25519'),
        timestamp: header('x-signature-timestamp'),
        nowMs: o.now?.(),
      });
      if (!verified.ok) {
        o.logger.warn({ url: request.url, reason: verified.reason }, 'Discord request refused');
        return reply.code(401).send({ error: 'invalid request signature' });
      }
      let raw: unknown;
      try {
        raw = JSON.parse(request.body as string);
      } catch {
        return reply.code(400).send({ error: 'The body is not valid JSON.' });
      }
      const parsed = interaction.safeParse(raw);
      const i = parsed.success ? parsed.data : undefined;
      const problem = !parsed.success
        ? firstIssue(parsed.error)
        : i?.type === InteractionType.PING || i?.type === InteractionType.APPLICATION_COMMAND_AUTOCOMPLETE
          ? undefined
          : !who(i as Interaction).userId || !i?.channel_id
            ? 'member.user or user, and channel_id, are required'
            : i.type === InteractionType.MESSAGE_COMPONENT && (!i.message || !i.data?.custom_id)
              ? 'message and data.custom_id are required'
              : undefined;
      if (problem || !i) {
        o.logger.warn({ url: request.url, reason: problem }, 'Discord payload refused');
        return reply.code(400).send({ error: problem });
      }
      switch (i.type) {
        case InteractionType.PING:
          return { type: InteractionResponseType.PONG };
        case InteractionType.APPLICATION_COMMAND:
          return command(i);
        case InteractionType.MESSAGE_COMPONENT:
          return click(i);
        case InteractionType.APPLICATION_COMMAND_AUTOCOMPLETE:
          return {
            type: InteractionResponseType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT,
            data: { choices: [] },
          };
        default:
          return reply.code(400).send({ error: `interaction type ${i.type} is not handled` });
      }
    });
  };
}
