/** Turns a stored web chat message into the JSON shape the page and the API share. */
import { type Message, toPlainText } from '../../core/messages.ts';
import type { TranscriptAuthor } from '../../core/store.ts';
import type { WebchatRow } from './message-store.ts';

/** A button as the page draws it. */
export interface WebchatAction {
  id: string;
  label: string;
  style: 'primary' | 'danger' | 'default';
  /** Ask the clicker for text before sending the click. */
  prompt?: string;
}

/** One message as the API lists it and the event stream sends it. */
export interface WebchatMessageView {
  id: string;
  channel: string;
  /** Id of the top-level message this replies to; null at the top level. */
  threadId: string | null;
  author: TranscriptAuthor;
  /** Plain text: the person's words, or the bot message's plain-text rendering. */
  text: string;
  /** The neutral message for bot messages; null for people's. */
  blocks: Message | null;
  actions: WebchatAction[];
  /** Creation time, ISO-8601. */
  ts: string;
  updatedAt: string | null;
  /** Number of thread replies; present on top-level messages. */
  replyCount?: number;
}

/** The neutral message a bot row carries (empty when its body is unreadable). */
export function botMessage(row: WebchatRow): Message {
  try {
    const parsed: unknown = JSON.parse(row.body);
    return parsed && typeof parsed === 'object' ? (parsed as Message) : {};
  } catch {
    return {};
  }
}

/** The words a person's row carries. */
function personText(row: WebchatRow): string {
  try {
    const parsed = JSON.parse(row.body) as { text?: unknown };
    return typeof parsed?.text === 'string' ? parsed.text : '';
  } catch {
    return '';
  }
}

/** Renders one stored row; pass `replyCount` for top-level messages. */
export function renderWebchat(row: WebchatRow, replyCount?: number): WebchatMessageView {
  const bot = row.author.bot;
  const blocks = bot ? botMessage(row) : null;
  const view: WebchatMessageView = {
    id: String(row.id),
    channel: row.channel,
    threadId: row.threadId,
    author: { id: row.author.id, name: row.author.name, bot },
    text: blocks ? toPlainText(blocks) : personText(row),
    blocks,
    actions: (blocks?.buttons ?? []).map((b) => ({
      id: b.id,
      label: b.label,
      style: b.style ?? 'default',
      ...(b.prompt ? { prompt: b.prompt } : {}),
    })),
    ts: row.createdAt,
    updatedAt: row.updatedAt,
  };
  if (replyCount !== undefined) view.replyCount = replyCount;
  return view;
}
