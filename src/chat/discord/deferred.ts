/**
 * Deferred answers that survive a restart. When a command's answer is deferred (type 5), its
 * interaction token is kept, sealed (seal.ts), with the intake record it answers, until the route
 * has answered. A process that starts finds the ones its predecessor left: when the replayed
 * command's reply comes, a whole answer edits the deferred message (`@original`) through the
 * interaction's webhook; a card or a run's reply removes it and is posted with the bot token, as
 * without a restart. Tokens last 15 minutes; past 14 the reply is posted with the bot token.
 * https://discord.com/developers/docs/interactions/receiving-and-responding#edit-original-interaction-response
 */
import { DiscordAPIError, RateLimitError } from '@discordjs/rest';
import type { Message } from '../../core/messages.ts';
import { DeliveryError } from '../../core/ports.ts';
import type { DeferredAnswer, DeferredAnswerStore, ReplyTo } from '../../core/store.ts';
import type { ModuleLogger } from '../../modules/common.ts';
import { renderDiscord } from './render.ts';
import type { Sealer } from './seal.ts';
import { toDeliveryError } from './sender.ts';

/** How long after the interaction its token is used (Discord's tokens last 15 minutes). */
export const TOKEN_USABLE_MS = 14 * 60_000;
const PLATFORM = 'discord';

export interface DeferredReplies {
  /** Keeps a deferred interaction's token, sealed, for the record it answers. */
  save(origin: string, channel: string, token: string): Promise<void>;
  /** The route answered it: the token is forgotten. */
  done(origin: string): Promise<void>;
  /** Reads the answers a process that is gone deferred (once, before the outbox starts). */
  load(): Promise<void>;
  /** Puts a reply where its deferred answer waits: the message's id, or undefined to post it as usual. */
  place(answer: ReplyTo, channel: string, message: Message): Promise<string | undefined>;
}

export function deferredReplies(o: {
  store: DeferredAnswerStore | undefined;
  sealer: Sealer;
  webhook: { edit(token: string, body: object): Promise<unknown>; remove(token: string): Promise<void> };
  now: () => Date;
  logger: ModuleLogger;
}): DeferredReplies {
  /** Left by the process before this one, by origin. */
  let orphans = new Map<string, DeferredAnswer>();
  const forget = async (origin: string) => {
    orphans.delete(origin);
    await o.store?.remove(PLATFORM, origin);
  };
  return {
    async save(origin, channel, token) {
      if (!o.store) return;
      const at = o.now();
      const sealed = o.sealer.seal(token, origin);
      const expiresAt = new Date(at.getTime() + TOKEN_USABLE_MS);
      await o.store.save({ platform: PLATFORM, origin, channel, sealed, expiresAt }, at);
    },
    async done(origin) {
      await o.store?.remove(PLATFORM, origin);
    },
    async load() {
      const open = (await o.store?.open(PLATFORM, o.now())) ?? [];
      orphans = new Map(open.map((a) => [a.origin, a]));
      if (open.length > 0)
        o.logger.info({ deferred: open.length }, 'deferred Discord answers to give after a restart');
    },
    async place(answer, channel, message) {
      const waiting = orphans.get(answer.origin);
      if (!waiting || waiting.channel !== channel) return undefined;
      const token = waiting.expiresAt > o.now() ? o.sealer.open(waiting.sealed, answer.origin) : undefined;
      if (token === undefined) {
        await forget(answer.origin);
        return undefined;
      }
      try {
        if (!answer.final) {
          await o.webhook.remove(token);
          await forget(answer.origin);
          return undefined;
        }
        // Kept until it expires: an edit repeated after a crash before the outbox's record of it
        // edits again, where a forgotten token would have the reply posted a second time.
        const edited = (await o.webhook.edit(token, renderDiscord(message))) as { id?: unknown } | undefined;
        return typeof edited?.id === 'string' ? edited.id : undefined;
      } catch (error) {
        // Gone (deleted, 404) or no longer valid (401): the reply is posted with the bot token.
        if (error instanceof DiscordAPIError && (error.status === 404 || error.status === 401)) {
          await forget(answer.origin);
          return undefined;
        }
        // The webhook's address holds the token: nothing of the error but its kind goes further.
        if (error instanceof DiscordAPIError || error instanceof RateLimitError) throw toDeliveryError(error);
        throw new DeliveryError("Discord's interaction webhook could not be reached");
      }
    },
  };
}
