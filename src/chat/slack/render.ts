/** Renders the neutral Message as Slack Block Kit without ever breaking a Block Kit limit. */

import type {
  ActionsBlock,
  ContextBlock,
  KnownBlock,
  MessageAttachment,
  MrkdwnElement,
  SectionBlock,
  Button as SlackButton,
} from '@slack/types';
import { type Button, type Message, type Status, statusEmoji } from '../../core/messages.ts';
import { clip, type SlackRendered, slackLimits } from './limits.ts';
import { PROMPT_VALUE } from './prompt.ts';

export { checkBlockKitLimits, type SlackRendered, slackLimits } from './limits.ts';

/** Options for `renderSlack`. */
export interface SlackRenderOptions {
  /** Where the full text can be read when it has to be truncated and the message has no link. */
  fallbackUrl?: string;
}

/** Attachment colour bar per status. */
export const statusColor: Record<Status, string> = {
  succeeded: '#2eb67d',
  failed: '#e01e5a',
  error: '#e01e5a',
  running: '#1d9bd1',
  queued: '#1d9bd1',
  cancelled: '#9e9ea6',
  warning: '#ecb22e',
  info: '#4a154b',
};

/**
 * Escapes Slack's three control characters so user text cannot form mentions (`<!channel>`) or links.
 * https://docs.slack.dev/messaging/formatting-message-text#escaping
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An http(s) URL made safe to sit inside `<url|label>`, or undefined. */
function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  const href = parsed.href
    .replace(/\|/g, '%7C')
    .replace(/</g, '%3C')
    .replace(/>/g, '%3E')
    .replace(/&/g, '&amp;');
  return href.length <= 2000 ? href : undefined;
}

const fence = '```';
const fenceToggles = (line: string) => line.split(fence).length % 2 === 0;

/** Escaped body text within `limit`, cut at a line boundary, fences closed, ending with `note`. */
function fitBody(raw: string, limit: number, note: string): string {
  const full = escapeMrkdwn(raw);
  if (full.length <= limit) return full;
  const tail = `\n${note}`;
  const kept: string[] = [];
  let used = 0;
  let inFence = false;
  for (const line of raw.split('\n')) {
    const escaped = escapeMrkdwn(line);
    const sep = kept.length ? 1 : 0;
    const after: boolean = fenceToggles(line) ? !inFence : inFence;
    if (used + sep + escaped.length + (after ? fence.length + 1 : 0) + tail.length <= limit) {
      kept.push(escaped);
      used += sep + escaped.length;
      inFence = after;
      continue;
    }
    // One huge line (a log without newlines) would leave almost nothing: keep part of it.
    if (used < limit / 2) {
      const room = limit - used - sep - (fence.length + 1) - 1 - tail.length;
      let part = clip(line, room, escapeMrkdwn);
      if (fenceToggles(part)) inFence = !inFence;
      else if (!inFence && part.split(fence).join('').split('`').length % 2 === 0) part += '`';
      kept.push(part);
    }
    break;
  }
  if (inFence) kept.push(fence);
  return kept.join('\n') + tail;
}

function truncationNote(url: string | undefined): string {
  return url ? `… (truncated; full log: <${url}|link>)` : '… (truncated)';
}

const mrkdwn = (text: string): MrkdwnElement => ({ type: 'mrkdwn', text });

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function slackButton(button: Button, subject: string | undefined): SlackButton {
  const label = button.label || button.id;
  const el: SlackButton = {
    type: 'button',
    action_id: button.id,
    // A prompting button opens a modal with its question instead of acting at once.
    value: button.prompt ? clip(`${PROMPT_VALUE}${button.prompt}`, 2000) : button.id,
    text: { type: 'plain_text', text: clip(label, slackLimits.buttonText), emoji: true },
  };
  if (button.style === 'primary' || button.style === 'danger') el.style = button.style;
  if (button.style === 'danger') {
    // Destructive actions ask first; Slack shows this dialog before sending the action.
    el.confirm = {
      title: { type: 'plain_text', text: 'Are you sure?' },
      text: {
        type: 'plain_text',
        text: clip(
          `You are about to choose “${label}”${subject ? ` on “${subject}”` : ''}.`,
          slackLimits.confirmText,
        ),
      },
      confirm: { type: 'plain_text', text: clip(label, slackLimits.confirmButton) },
      deny: { type: 'plain_text', text: 'Go back' },
      style: 'danger',
    };
  }
  return el;
}

/** The notification text: reads alone, so it names the status in words. */
function fallbackText(message: Message): string {
  const firstLine = (message.text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l && !l.startsWith(fence));
  let text = [message.header, firstLine].filter(Boolean).join('\n');
  if (!text) {
    const field = message.fields?.[0];
    text = field
      ? `${field.label}: ${field.value}`
      : (message.context?.[0] ?? message.link?.label ?? 'deckhand');
  }
  const status = message.status;
  if (status && status !== 'info' && !text.toLowerCase().includes(status)) {
    text = `${status[0]?.toUpperCase()}${status.slice(1)}: ${text}`;
  }
  return clip(text, slackLimits.fallbackText, escapeMrkdwn);
}

/** Renders a neutral message: header and body on top, the rest in one attachment coloured by status. */
export function renderSlack(message: Message, options: SlackRenderOptions = {}): SlackRendered {
  const emoji = message.status ? `${statusEmoji[message.status]} ` : '';
  const link = safeUrl(message.link?.url);
  const top: KnownBlock[] = [];

  if (message.header?.trim()) {
    const text = clip(`${emoji}${message.header}`, slackLimits.headerText);
    top.push({ type: 'header', text: { type: 'plain_text', text, emoji: true } });
  }
  if (message.text?.trim()) {
    // Without a header the body carries the status emoji.
    const prefix = top.length || !emoji ? '' : message.text.startsWith(fence) ? `${emoji.trim()}\n` : emoji;
    const note = truncationNote(link ?? safeUrl(options.fallbackUrl));
    top.push({
      type: 'section',
      text: mrkdwn(fitBody(prefix + message.text, slackLimits.sectionText, note)),
    });
  }

  const fieldSections: SectionBlock[] = chunk(message.fields ?? [], slackLimits.sectionFields).map(
    (group) => ({
      type: 'section',
      fields: group.map((f) =>
        mrkdwn(
          `*${clip(f.label, 200, escapeMrkdwn)}*\n${clip(f.value, slackLimits.fieldText - 205, escapeMrkdwn)}`,
        ),
      ),
    }),
  );

  const lines = (message.context ?? [])
    .filter((l) => l.trim())
    .map((l) => mrkdwn(clip(l, slackLimits.contextText, escapeMrkdwn)));
  const linkElement =
    link && message.link
      ? mrkdwn(
          `<${link}|${clip(message.link.label || 'link', slackLimits.contextText - link.length - 3, escapeMrkdwn)}>`,
        )
      : undefined;

  const usable = (message.buttons ?? []).filter((b) => b.id && b.id.length <= slackLimits.actionId);
  const actions: ActionsBlock[] = chunk(usable, slackLimits.actionsElements).map((group) => ({
    type: 'actions',
    elements: group.map((b) => slackButton(b, message.header)),
  }));

  // Within 50 blocks: header, body and actions first, then fields, then context (keeping the link).
  let budget = slackLimits.blocks - top.length;
  const keptActions = actions.slice(0, Math.max(0, budget));
  budget -= keptActions.length;
  const hasContext = lines.length > 0 || linkElement !== undefined;
  const keptFields = fieldSections.slice(0, Math.max(0, budget - (hasContext ? 1 : 0)));
  budget -= keptFields.length;
  const contextRoom = Math.max(0, budget) * slackLimits.contextElements;
  const elements = linkElement
    ? [...lines.slice(0, Math.max(0, contextRoom - 1)), linkElement].slice(0, contextRoom)
    : lines.slice(0, contextRoom);
  const contexts: ContextBlock[] = chunk(elements, slackLimits.contextElements).map((group) => ({
    type: 'context',
    elements: group,
  }));

  const text = fallbackText(message);
  const rest: KnownBlock[] = [...keptFields, ...contexts, ...keptActions];
  if (!message.status) {
    const blocks = [...top, ...rest];
    return blocks.length ? { text, blocks } : { text };
  }
  // The colour bar exists only on attachments. Top-level `text` is shown as the message body when a
  // message has attachments but no top-level blocks, so the first block stays on top to keep `text`
  // a notification-only fallback. https://docs.slack.dev/reference/methods/chat.postMessage
  const [first, ...others] = [...top, ...rest];
  if (!first) return { text };
  const attachment: MessageAttachment = {
    color: statusColor[message.status],
    fallback: text,
    blocks: others,
  };
  return { text, blocks: [first], ...(others.length ? { attachments: [attachment] } : {}) };
}
