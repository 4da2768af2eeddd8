/**
 * Incident channels on Slack: `conversations.create`, found again by name through
 * `conversations.list`, `conversations.setTopic` and `conversations.invite`
 * (https://docs.slack.dev/reference/methods/conversations.create and the pages beside it).
 */
import { ErrorCode, type WebClient } from '@slack/web-api';
import { type ChatSender, type CreatedChannel, DeliveryError, type NewChannel } from '../../core/ports.ts';
import { toDeliveryError } from './errors.ts';

/**
 * "Channel names may only contain lowercase letters, numbers, hyphens, and underscores, and must be
 * 80 characters or less" (conversations.create).
 */
export const SLACK_CHANNEL_NAME = /^[a-z0-9_-]{1,80}$/;
/** conversations.setTopic answers `too_long` past 250 characters. */
const TOPIC_MAX = 250;
/** conversations.invite takes at most 1000 users a call. */
const INVITE_MAX = 1000;
/** conversations.list: at most 1000 a page (200 recommended); Tier 2, so a bounded search. */
const LIST_PAGE = 200;
const LIST_PAGES = 50;
/** Per-user refusals of conversations.invite that mean "this person is in (or is the bot)". */
const ALREADY_IN = new Set(['already_in_channel', 'cant_invite_self']);

/** Refusals that name one user (https://docs.slack.dev/reference/methods/conversations.invite#errors). */
const USER_REFUSALS = new Set([
  'user_not_found',
  'cant_invite',
  'user_is_restricted',
  'user_is_ultra_restricted',
  'user_is_bot',
  'no_user',
  'invitee_cant_see_channel',
  'no_external_invite_permission',
  'ura_max_channels',
]);

interface SlackFailure {
  code?: unknown;
  data?: { error?: unknown; errors?: { user?: unknown; error?: unknown }[] };
}
const platformCode = (error: unknown): string | undefined => {
  const e = error as SlackFailure | undefined;
  return e?.code === ErrorCode.PlatformError && typeof e.data?.error === 'string' ? e.data.error : undefined;
};

type Logger = { warn(obj: object, msg?: string): void };

/** createChannel and invite over a WebClient; failures come back as DeliveryErrors. */
export function slackChannels(
  client: WebClient,
  logger: Logger,
): Required<Pick<ChatSender, 'createChannel' | 'invite'>> {
  /**
   * A public, unarchived channel of that name, paging conversations.list with exclude_archived
   * (https://docs.slack.dev/reference/methods/conversations.list). Slack answers name_taken for an
   * archived one too: that one is not reused, and the error says so.
   */
  const findByName = async (name: string) => {
    let cursor: string | undefined;
    for (let page = 0; page < LIST_PAGES; page++) {
      const found = await client.conversations.list({
        exclude_archived: true,
        types: 'public_channel',
        limit: LIST_PAGE,
        ...(cursor ? { cursor } : {}),
      });
      const mine = found.channels?.find((c) => c.name === name);
      if (mine?.id) return mine;
      cursor = found.response_metadata?.next_cursor || undefined;
      if (!cursor) return undefined;
    }
    return undefined;
  };

  /** Users Slack did not add, from the `errors` list conversations.invite returns with `force`. */
  const refused = (errors: { user?: unknown; error?: unknown }[] | undefined, channel: string): string[] => {
    const out: string[] = [];
    for (const e of errors ?? []) {
      if (typeof e.user !== 'string' || ALREADY_IN.has(String(e.error))) continue;
      logger.warn({ channel, user: e.user, code: e.error }, 'Slack did not add a person to a channel');
      out.push(e.user);
    }
    return out;
  };

  const invite = async (channel: string, members: string[]): Promise<string[]> => {
    const people = [...new Set(members)];
    const notAdded: string[] = [];
    for (let i = 0; i < people.length; i += INVITE_MAX) {
      const batch = people.slice(i, i + INVITE_MAX);
      try {
        // force: invite the valid ones and list the others instead of refusing the whole call.
        const res = await client.conversations.invite({ channel, users: batch.join(','), force: true });
        notAdded.push(...refused(res.errors, channel));
      } catch (error) {
        const code = platformCode(error);
        const errors = (error as SlackFailure).data?.errors;
        if (Array.isArray(errors) && errors.length) notAdded.push(...refused(errors, channel));
        else if (code && ALREADY_IN.has(code)) continue;
        else if (code && USER_REFUSALS.has(code) && batch.length === 1)
          notAdded.push(...refused([{ user: batch[0], error: code }], channel));
        // A refusal naming no one: ask one person at a time to learn whom it was about.
        else if (code && USER_REFUSALS.has(code))
          for (const person of batch) notAdded.push(...(await invite(channel, [person])));
        else throw toDeliveryError(error);
      }
    }
    return notAdded;
  };

  return {
    async createChannel(spec: NewChannel): Promise<CreatedChannel> {
      if (!SLACK_CHANNEL_NAME.test(spec.name))
        throw new DeliveryError(
          `"${spec.name}" is not a Slack channel name: lowercase letters, digits, "-" and "_", at most 80 characters.`,
          undefined,
          true,
        );
      let id: string | undefined;
      let topic: string | undefined;
      try {
        id = (await client.conversations.create({ name: spec.name })).channel?.id;
      } catch (error) {
        if (platformCode(error) !== 'name_taken') throw toDeliveryError(error);
        const found = await findByName(spec.name).catch((e: unknown) => {
          throw toDeliveryError(e);
        });
        if (!found?.id)
          throw new DeliveryError(
            `Slack says the channel name "${spec.name}" is taken, by an archived or private channel deckhand cannot use; unarchive it and invite the bot, or rename it.`,
            undefined,
            true,
          );
        id = found.id;
        topic = found.topic?.value;
        // A channel someone else made: the bot joins it to post and invite (channels:join).
        if (found.is_member === false)
          await client.conversations.join({ channel: id }).catch((e: unknown) => {
            throw toDeliveryError(e);
          });
      }
      if (!id) throw new DeliveryError('Slack created the channel but returned no id', undefined, true);
      const wanted = spec.topic?.slice(0, TOPIC_MAX);
      if (wanted && wanted !== topic)
        await client.conversations.setTopic({ channel: id, topic: wanted }).catch((e: unknown) => {
          throw toDeliveryError(e);
        });
      return { channel: id, notAdded: await invite(id, spec.members) };
    },
    invite,
  };
}
