/** The neutral message model: what the core says, before any chat adapter renders it. */

/** Status of the thing a message reports; adapters map it to a colour and an emoji. */
export type Status =
  | 'queued'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'cancelled'
  | 'info'
  | 'warning'
  | 'error';

/** A clickable button; `id` comes back in the action the user triggers. */
export interface Button {
  /** Action id, unique within the message, e.g. `cancel:12`. */
  id: string;
  label: string;
  style?: 'primary' | 'danger' | 'default';
  /** Asks the clicker for text first (e.g. a reason); platforms that cannot ask send the click without it. */
  prompt?: string;
}

/** A label/value pair shown side by side (branch, commit, duration…). */
export interface Field {
  label: string;
  value: string;
}

/** One chat message in platform-neutral form. */
export interface Message {
  /** Short title line, e.g. "Build #12 succeeded". */
  header?: string;
  status?: Status;
  /** Body text; `code` spans in backticks are allowed, nothing else is interpreted. */
  text?: string;
  fields?: Field[];
  /** Small print under the body (who, when, links). */
  context?: string[];
  buttons?: Button[];
  /** A link to more detail, e.g. the full log. */
  link?: { label: string; url: string };
}

export const statusEmoji: Record<Status, string> = {
  queued: '⏳',
  running: '🔄',
  succeeded: '✅',
  failed: '❌',
  cancelled: '⏹️',
  info: 'ℹ️',
  warning: '⚠️',
  error: '🚫',
};

/** Plain-text rendering carrying every key fact; used by terminals, screen readers and tests. */
export function toPlainText(message: Message): string {
  const lines: string[] = [];
  if (message.header) {
    const status = message.status ? `${statusEmoji[message.status]} ` : '';
    lines.push(`${status}${message.header}`);
  }
  if (message.text) lines.push(message.text);
  for (const field of message.fields ?? []) lines.push(`${field.label}: ${field.value}`);
  for (const line of message.context ?? []) lines.push(line);
  if (message.link) lines.push(`${message.link.label}: ${message.link.url}`);
  if (message.buttons?.length) lines.push(message.buttons.map((b) => `[${b.label}]`).join(' '));
  return lines.join('\n');
}
