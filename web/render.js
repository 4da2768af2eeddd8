// Builds message elements from the API's JSON. User text only ever becomes text nodes, never HTML.
const STATUS_EMOJI = {
  queued: '⏳',
  running: '🔄',
  succeeded: '✅',
  failed: '❌',
  cancelled: '⏹️',
  info: 'ℹ️',
  warning: '⚠️',
  error: '🚫',
};

/** Creates an element with attributes and children; strings become text nodes. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) node.append(child);
  }
  return node;
}

/** Text with `backtick` spans as <code>; everything else stays plain text. */
function inlineText(text) {
  const parts = text.split(/`([^`\n]+)`/);
  return parts.map((part, i) => (i % 2 === 1 ? el('code', {}, part) : document.createTextNode(part)));
}

/** Text with ```fenced``` blocks (log tails) as <pre> and `backtick` spans as <code>. */
export function richText(text) {
  const parts = String(text ?? '').split(/\n?```\n?([\s\S]*?)\n?```\n?/);
  return parts.flatMap((part, i) =>
    i % 2 === 1 ? [el('pre', { class: 'code-block' }, el('code', {}, part))] : inlineText(part),
  );
}

const safeUrl = (url) => (/^(https?:\/\/|\/(?!\/))/i.test(String(url)) ? url : undefined);

/** A bot message's card: header, text, fields, context, link and buttons, barred by status. */
function renderBlocks(msg, onAction) {
  const b = msg.blocks || {};
  const card = el('div', { class: `card status-${b.status || 'none'}` });
  if (b.header) {
    const emoji = b.status && STATUS_EMOJI[b.status] ? `${STATUS_EMOJI[b.status]} ` : '';
    card.append(el('div', { class: 'card-header' }, emoji, b.header));
  }
  if (b.text) card.append(el('div', { class: 'card-text' }, richText(b.text)));
  if (b.fields?.length) {
    const fields = b.fields.map((f) =>
      el('div', { class: 'field' }, el('dt', {}, f.label), el('dd', {}, richText(f.value))),
    );
    card.append(el('dl', { class: 'fields' }, fields));
  }
  for (const line of b.context || []) card.append(el('div', { class: 'context' }, richText(line)));
  const href = b.link && safeUrl(b.link.url);
  if (href) {
    card.append(el('a', { class: 'link', href, target: '_blank', rel: 'noopener noreferrer' }, b.link.label));
  }
  if (msg.actions?.length) {
    const buttons = msg.actions.map((action) =>
      el(
        'button',
        {
          type: 'button',
          class: `btn btn-${action.style || 'default'}`,
          'data-testid': `action-${action.id}`,
          onclick: (event) => onAction(event.currentTarget, msg, action),
        },
        action.label,
      ),
    );
    card.append(el('div', { class: 'actions' }, buttons));
  }
  return card;
}

function replyLabel(count) {
  if (!count) return 'Reply in thread';
  return `${count} ${count === 1 ? 'reply' : 'replies'}`;
}

/**
 * One message. `where` is 'channel' (with a thread link), 'thread' or 'parent';
 * `handlers` holds onAction(button, msg, action) and onThread(id).
 */
export function renderMessage(msg, where, handlers) {
  const time = new Date(msg.ts);
  const bot = msg.author.bot;
  const body = bot ? renderBlocks(msg, handlers.onAction) : el('div', { class: 'text' }, richText(msg.text));
  const updated = msg.updatedAt
    ? el('span', { class: 'edited', title: new Date(msg.updatedAt).toLocaleString() }, '(updated)')
    : null;
  const meta = el(
    'div',
    { class: 'meta' },
    el('strong', { class: 'author' }, msg.author.name),
    bot ? el('span', { class: 'badge' }, 'APP') : null,
    el(
      'time',
      { datetime: msg.ts, title: time.toLocaleString() },
      time.toLocaleTimeString([], { timeStyle: 'short' }),
    ),
    updated,
  );
  const link =
    where === 'channel'
      ? el(
          'button',
          {
            type: 'button',
            class: `thread-link${msg.replyCount ? '' : ' quiet'}`,
            'data-testid': 'thread-link',
            onclick: () => handlers.onThread(msg.id),
          },
          replyLabel(msg.replyCount),
        )
      : null;
  const initial = bot ? '⚓' : (msg.author.name || '?').slice(0, 1).toUpperCase();
  return el(
    where === 'parent' ? 'div' : 'li',
    { class: `message${bot ? ' from-bot' : ''}`, 'data-testid': 'message', 'data-message-id': msg.id },
    el('div', { class: `avatar${bot ? ' bot' : ''}`, 'aria-hidden': 'true' }, initial),
    el('div', { class: 'message-body' }, meta, body, link),
  );
}
