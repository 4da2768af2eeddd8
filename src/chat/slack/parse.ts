/** Turns Slack payloads into the core's requests. Bad shapes throw `SlackPayloadError` (a 400). */
import { z } from 'zod';
import type { ActionRequest } from '../../core/inbound.ts';
import type { EventCallback, SlashCommandBody } from './handlers-types.ts';

export class SlackPayloadError extends Error {
  override name = 'SlackPayloadError';
}

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** Slack ids (users, channels, teams, message timestamps) are short; a long one is not Slack's. */
const ID_MAX = 64;
/** A slash command's text; Slack cuts what users type well below this. */
const TEXT_MAX = 4000;

/** The first problem zod found, naming the field. */
function fieldError(error: z.ZodError, prefix = ''): SlackPayloadError {
  const issue = error.issues[0];
  const field = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.');
  return new SlackPayloadError(`${field || 'the body'}: ${issue?.message ?? 'not what Slack sends'}`);
}

const id = z.string().min(1).max(ID_MAX);

/** The fields of an `app_mention` deckhand reads (https://api.slack.com/events/app_mention). */
const mention = z.object({
  type: z.literal('app_mention'),
  user: id,
  channel: id,
  // Slack truncates message text at 40,000 characters (https://api.slack.com/methods/chat.postMessage).
  text: z.string().max(40_000),
  ts: id,
  thread_ts: id.optional(),
  bot_id: id.optional(),
});

const callback = z.object({
  type: z.literal('event_callback'),
  event_id: id,
  team_id: id.optional(),
  event: z.object({ type: z.string().min(1).max(ID_MAX) }).passthrough(),
});

/**
 * An Events API callback, checked for the fields deckhand reads: an `app_mention` in full, other
 * events (deckhand subscribes to none, but Slack may send them) by their type only.
 */
export function parseEventCallback(body: unknown): EventCallback {
  const outer = callback.safeParse(body);
  if (!outer.success) throw fieldError(outer.error);
  const { event } = outer.data;
  if (event.type !== 'app_mention') return { ...outer.data, event: { type: event.type } };
  const inner = mention.safeParse(event);
  if (!inner.success) throw fieldError(inner.error, 'event');
  return { ...outer.data, event: inner.data };
}

/** A slash command from its form fields. */
export function parseSlashCommand(form: URLSearchParams | Record<string, unknown>): SlashCommandBody {
  const get = (k: string) => (form instanceof URLSearchParams ? (form.get(k) ?? undefined) : form[k]);
  const command = get('command');
  const userId = get('user_id');
  const channelId = get('channel_id');
  const text = get('text') ?? '';
  if (!str(command) || !str(userId) || !str(channelId) || typeof text !== 'string') {
    throw new SlackPayloadError('a slash command needs command, user_id and channel_id');
  }
  if (command.length > 32 || userId.length > ID_MAX || channelId.length > ID_MAX || text.length > TEXT_MAX)
    throw new SlackPayloadError(
      `a slash command's ids are at most ${ID_MAX} characters, its command 32 and its text ${TEXT_MAX}`,
    );
  const opt = (k: string) => {
    const v = get(k);
    return str(v) && v.length <= 2000 ? v : undefined;
  };
  const optional = [
    'user_name',
    'channel_name',
    'team_id',
    'response_url',
    'trigger_id',
    'api_app_id',
  ] as const;
  const present = optional.flatMap((k) => {
    const v = opt(k);
    return v === undefined ? [] : [[k, v] as const];
  });
  return { command, text, user_id: userId, channel_id: channelId, ...Object.fromEntries(present) };
}

/** The `payload` field of an interactivity request, as JSON. */
export function parseInteractionForm(form: URLSearchParams): unknown {
  const raw = form.get('payload');
  if (!raw) throw new SlackPayloadError('an interaction needs a payload field');
  try {
    return JSON.parse(raw);
  } catch {
    throw new SlackPayloadError('the payload field is not valid JSON');
  }
}

/** Button clicks in a `block_actions` payload, with each button's `value`; other payload types give none. */
export function blockActions(payload: unknown): (ActionRequest & { value?: string })[] {
  const p = payload as {
    type?: unknown;
    user?: { id?: unknown };
    channel?: { id?: unknown };
    container?: { message_ts?: unknown; channel_id?: unknown };
    message?: { ts?: unknown };
    actions?: { action_id?: unknown; value?: unknown }[];
  };
  if (!p || typeof p !== 'object') throw new SlackPayloadError('the payload is not an object');
  if (p.type !== 'block_actions') return [];
  const userId = p.user?.id;
  const channel = p.channel?.id ?? p.container?.channel_id;
  const messageId = p.container?.message_ts ?? p.message?.ts;
  if (!str(userId) || !str(channel) || !str(messageId) || !Array.isArray(p.actions)) {
    throw new SlackPayloadError('block_actions needs user.id, channel.id, the message ts and actions');
  }
  if ([userId, channel, messageId].some((v) => v.length > ID_MAX))
    throw new SlackPayloadError(`block_actions ids are at most ${ID_MAX} characters`);
  // Block Kit's limits: action_id 255 characters, a button's value 2,000
  // (https://api.slack.com/reference/block-kit/block-elements#button).
  for (const a of p.actions) {
    if (str(a?.action_id) && a.action_id.length > 255)
      throw new SlackPayloadError('actions[].action_id is at most 255 characters');
    if (str(a?.value) && a.value.length > 2000)
      throw new SlackPayloadError('actions[].value is at most 2000 characters');
  }
  return p.actions
    .filter((a) => str(a?.action_id))
    .map((a) => ({
      platform: 'slack',
      userId,
      channel,
      messageId,
      actionId: a.action_id as string,
      ...(str(a.value) ? { value: a.value } : {}),
    }));
}

/**
 * `<@U0BOT> deploy staging` or `hey <@U0BOT> ci status` → `/ci …`: the words after the mention,
 * under the family their first word names, else the first family.
 */
export function mentionToCommand(text: string, roots: readonly string[] = ['ci']): string {
  const mention = /<@[A-Z0-9]+(\|[^>]*)?>/.exec(text);
  const after = mention ? text.slice(mention.index + mention[0].length) : text;
  const words = after.replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, ' ').trim();
  const first = /^\/?([a-z][a-z0-9-]*)\b\s*/i.exec(words);
  const named = first && roots.find((r) => r === first[1]?.toLowerCase());
  const root = named ?? roots[0] ?? 'ci';
  const rest = named && first ? words.slice(first[0].length) : words;
  return `/${root} ${rest}`.trim();
}
