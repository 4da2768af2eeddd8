/**
 * Renders the neutral Message as an Adaptive Card 1.5 (https://adaptivecards.io/explorer/):
 * the header coloured by status, the body, a FactSet of the fields, small print, and buttons as
 * `Action.Execute` (Universal Actions) with an `Action.Submit` fallback for older clients.
 */
import { type Message, type Status, statusEmoji } from '../../core/messages.ts';

export const CARD = 'application/vnd.microsoft.card.adaptive';

const colour: Record<Status, string> = {
  succeeded: 'Good',
  failed: 'Attention',
  error: 'Attention',
  running: 'Accent',
  queued: 'Accent',
  cancelled: 'Default',
  warning: 'Warning',
  info: 'Default',
};

/** Teams accepts activities up to about 28 KB; text is cut well inside that. */
const TEXT_LIMIT = 12_000;
const clip = (text: string, limit: number) =>
  text.length <= limit ? text : `${text.slice(0, limit - 15)}\n… (truncated)`;

/**
 * TextBlock markdown is a subset (emphasis, links, lists: https://learn.microsoft.com/adaptive-cards/authoring-cards/text-features);
 * user text is escaped so it can neither format nor link.
 */
export function escapeMarkdown(text: string): string {
  return text
    .split(/(`[^`\n]*`)/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part.replace(/([\\*_~[\]])/g, '\\$1').replace(/^(\s*)([-+]|\d+\.)(\s)/gm, '$1\\$2$3'),
    )
    .join('');
}

function safeUrl(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

export interface TeamsActivity {
  type: 'message';
  text?: string;
  textFormat?: 'markdown' | 'plain';
  attachments?: { contentType: string; content: Record<string, unknown> }[];
}

export function renderTeams(message: Message): TeamsActivity {
  const simple = !message.header && !message.status && !message.fields?.length && !message.buttons?.length;
  if (simple && !message.link) {
    const lines = [
      message.text ? escapeMarkdown(message.text) : '',
      ...(message.context ?? []).map(escapeMarkdown),
    ];
    return {
      type: 'message',
      textFormat: 'markdown',
      text: clip(lines.filter(Boolean).join('\n\n'), TEXT_LIMIT) || '…',
    };
  }
  const body: Record<string, unknown>[] = [];
  if (message.header)
    body.push({
      type: 'TextBlock',
      text: `${message.status ? `${statusEmoji[message.status]} ` : ''}${escapeMarkdown(message.header)}`.slice(
        0,
        500,
      ),
      weight: 'Bolder',
      size: 'Medium',
      wrap: true,
      ...(message.status ? { color: colour[message.status] } : {}),
    });
  if (message.text)
    body.push({ type: 'TextBlock', text: clip(escapeMarkdown(message.text), TEXT_LIMIT), wrap: true });
  if (message.fields?.length)
    body.push({
      type: 'FactSet',
      facts: message.fields
        .slice(0, 30)
        .map((f) => ({ title: f.label.slice(0, 200), value: clip(escapeMarkdown(f.value), 1000) })),
    });
  for (const line of message.context ?? [])
    body.push({
      type: 'TextBlock',
      text: escapeMarkdown(line).slice(0, 1000),
      isSubtle: true,
      size: 'Small',
      wrap: true,
    });
  const actions: Record<string, unknown>[] = (message.buttons ?? []).slice(0, 6).map((b) => ({
    type: 'Action.Execute',
    title: b.label.slice(0, 80),
    verb: b.id,
    data: { actionId: b.id },
    ...(b.style === 'primary' ? { style: 'positive' } : b.style === 'danger' ? { style: 'destructive' } : {}),
    fallback: { type: 'Action.Submit', title: b.label.slice(0, 80), data: { actionId: b.id } },
  }));
  const link = message.link && safeUrl(message.link.url);
  if (link)
    actions.push({ type: 'Action.OpenUrl', title: (message.link?.label ?? 'Open').slice(0, 80), url: link });
  const content = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    ...(actions.length ? { actions } : {}),
  };
  return { type: 'message', attachments: [{ contentType: CARD, content }] };
}
