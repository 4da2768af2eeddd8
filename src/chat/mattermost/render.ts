/**
 * Renders the neutral Message as a Mattermost post: a Slack-compatible message attachment with a
 * colour, title, fields and buttons (https://developers.mattermost.com/integrate/reference/message-attachments/),
 * the whole post within Mattermost's 16,383 characters.
 */
import { type Message, type Status, statusEmoji, toPlainText } from '../../core/messages.ts';
import type { ActionContext } from './actions.ts';

/** Mattermost's limit on a post's message (runes); deckhand keeps the whole post within it. */
export const POST_LIMIT = 16_383;

export const statusColor: Record<Status, string> = {
  succeeded: '#2eb886',
  failed: '#d24b4e',
  error: '#d24b4e',
  running: '#1d9bd1',
  queued: '#1d9bd1',
  cancelled: '#8d8d8d',
  warning: '#ffbc1f',
  info: '#1c58d9',
};

export interface Attachment {
  fallback: string;
  color?: string;
  title?: string;
  text?: string;
  fields?: { title: string; value: string; short: boolean }[];
  footer?: string;
  actions?: {
    id: string;
    name: string;
    type: 'button';
    style: string;
    integration: { url: string; context: ActionContext };
  }[];
}

export interface MattermostPost {
  message: string;
  props: { attachments?: Attachment[] };
}

/** Signs each button for the channel it is posted in. */
export type ButtonBinder = (actionId: string) => { url: string; context: ActionContext };

/**
 * Escapes Markdown outside `code` spans, and keeps `@` from notifying anyone (a zero-width space
 * after it): user text can neither format nor mention.
 */
export function escapeMarkdown(text: string): string {
  return text
    .split(/(`[^`\n]*`)/)
    .map((part, i) =>
      i % 2 === 1 ? part : part.replace(/([\\*_~[\]()#>|!<])/g, '\\$1').replace(/@/g, '@\u200b'),
    )
    .join('');
}

const plain = (text: string) => text.replace(/@/g, '@\u200b');

/** Cuts `text` to `limit` characters, saying so. */
function clip(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const note = '\n… (truncated)';
  return `${text.slice(0, Math.max(0, limit - note.length))}${note}`;
}

function safeUrl(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href.replace(/\)/g, '%29') : undefined;
  } catch {
    return undefined;
  }
}

export function renderMattermost(message: Message, bind?: ButtonBinder): MattermostPost {
  const simple = !message.header && !message.status && !message.fields?.length && !message.buttons?.length;
  const link = message.link && safeUrl(message.link.url);
  const linkLine = link ? `[${escapeMarkdown(message.link?.label ?? '')}](${link})` : '';
  if (simple) {
    const lines = [message.text ? escapeMarkdown(message.text) : '', linkLine];
    for (const c of message.context ?? []) lines.push(`_${escapeMarkdown(c)}_`);
    return { message: clip(lines.filter(Boolean).join('\n'), POST_LIMIT), props: {} };
  }
  const title = message.header
    ? plain(`${message.status ? `${statusEmoji[message.status]} ` : ''}${message.header}`).slice(0, 500)
    : undefined;
  const fields = (message.fields ?? []).slice(0, 20).map((f) => ({
    title: plain(f.label).slice(0, 100),
    value: escapeMarkdown(f.value).slice(0, 500),
    short: f.value.length <= 40,
  }));
  const footer = message.context?.length ? plain(message.context.join(' · ')).slice(0, 1000) : undefined;
  const actions = bind
    ? (message.buttons ?? []).map((b, i) => ({
        // Mattermost wants plain alphanumeric action ids; deckhand's own id travels in the context.
        id: `a${i}`,
        name: b.label.slice(0, 80),
        type: 'button' as const,
        style: b.style ?? 'default',
        integration: bind(b.id),
      }))
    : [];
  const fallback = clip(plain(toPlainText({ ...message, buttons: undefined })), 2000);
  // At most 20 fields of 600, a title, a footer and the fallback leave room for the body.
  const fixed =
    fallback.length +
    (title?.length ?? 0) +
    (footer?.length ?? 0) +
    fields.reduce((n, f) => n + f.title.length + f.value.length, 0);
  const body = [message.text ? escapeMarkdown(message.text) : '', linkLine].filter(Boolean).join('\n');
  const text = clip(body, POST_LIMIT - fixed - 50);
  const attachment: Attachment = {
    fallback,
    ...(message.status ? { color: statusColor[message.status] } : {}),
    ...(title ? { title } : {}),
    ...(text ? { text } : {}),
    ...(fields.length ? { fields } : {}),
    ...(footer ? { footer } : {}),
    ...(actions.length ? { actions } : {}),
  };
  return { message: '', props: { attachments: [attachment] } };
}
