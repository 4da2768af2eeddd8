/** Turns Slack payloads into the core's requests. Bad shapes throw `SlackPayloadError` (a 400). */
import type { ActionRequest } from '../../core/inbound.ts';
import type { SlashCommandBody } from './handlers-types.ts';

export class SlackPayloadError extends Error {
  override name = 'SlackPayloadError';
}

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

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
  const opt = (k: string) => {
    const v = get(k);
    return str(v) ? v : undefined;
  };
  return {
    command,
    text,
    user_id: userId,
    channel_id: channelId,
    user_name: opt('user_name'),
    channel_name: opt('channel_name'),
    team_id: opt('team_id'),
    response_url: opt('response_url'),
    trigger_id: opt('trigger_id'),
    api_app_id: opt('api_app_id'),
  };
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
