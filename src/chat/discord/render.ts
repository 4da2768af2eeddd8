/**
 * Renders the neutral Message as a Discord message: an embed with the status colour and fields,
 * buttons in action rows, every part within Discord's limits
 * (https://discord.com/developers/docs/resources/message#embed-object-embed-limits), and no
 * mention that could notify anyone (`allowed_mentions: { parse: [] }`).
 */
import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord-api-types/v10';
import { type Button, type Message, type Status, statusEmoji } from '../../core/messages.ts';

export const discordLimits = {
  content: 2000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  embedTotal: 6000,
  buttonsPerRow: 5,
  rows: 5,
  label: 80,
  customId: 100,
};

export const statusColor: Record<Status, number> = {
  succeeded: 0x2eb67d,
  failed: 0xe01e5a,
  error: 0xe01e5a,
  running: 0x1d9bd1,
  queued: 0x1d9bd1,
  cancelled: 0x9e9ea6,
  warning: 0xecb22e,
  info: 0x5865f2,
};

export type DiscordMessage = Pick<
  RESTPostAPIChannelMessageJSONBody,
  'content' | 'embeds' | 'components' | 'allowed_mentions'
>;

/** Escapes Discord markdown outside `code` spans: user text cannot format or hide anything. */
export function escapeMarkdown(text: string): string {
  return text
    .split(/(`[^`\n]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/([\\*_~|>[\]()#-])/g, '\\$1')))
    .join('');
}

const clip = (text: string, limit: number) =>
  text.length <= limit ? text : `${text.slice(0, Math.max(0, limit - 15))}\n… (truncated)`;

function safeUrl(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href.replace(/\)/g, '%29') : undefined;
  } catch {
    return undefined;
  }
}

const styles: Record<
  NonNullable<Button['style']>,
  ButtonStyle.Primary | ButtonStyle.Danger | ButtonStyle.Secondary
> = {
  primary: ButtonStyle.Primary,
  danger: ButtonStyle.Danger,
  default: ButtonStyle.Secondary,
};

function rows(buttons: readonly Button[]): APIActionRowComponent<APIButtonComponentWithCustomId>[] {
  const out: APIActionRowComponent<APIButtonComponentWithCustomId>[] = [];
  const usable = buttons.filter((b) => b.id.length <= discordLimits.customId);
  for (let i = 0; i < usable.length && out.length < discordLimits.rows; i += discordLimits.buttonsPerRow) {
    out.push({
      type: ComponentType.ActionRow,
      components: usable.slice(i, i + discordLimits.buttonsPerRow).map((b) => ({
        type: ComponentType.Button,
        style: styles[b.style ?? 'default'],
        label: clip(b.label, discordLimits.label),
        custom_id: b.id,
      })),
    });
  }
  return out;
}

export function renderDiscord(message: Message): DiscordMessage {
  const none = { parse: [] };
  const link = message.link && safeUrl(message.link.url);
  const linkLine = link ? `[${escapeMarkdown(message.link?.label ?? '')}](${link})` : '';
  const body = [message.text ? escapeMarkdown(message.text) : '', linkLine].filter(Boolean).join('\n');
  const simple = !message.header && !message.status && !message.fields?.length && !message.buttons?.length;
  if (simple) {
    const context = (message.context ?? []).map((c) => `-# ${escapeMarkdown(c)}`);
    return {
      content: clip([body, ...context].filter(Boolean).join('\n'), discordLimits.content) || '…',
      allowed_mentions: none,
    };
  }
  const title = message.header
    ? clip(`${message.status ? `${statusEmoji[message.status]} ` : ''}${message.header}`, discordLimits.title)
    : undefined;
  const fields = (message.fields ?? []).slice(0, discordLimits.fields).map((f) => ({
    name: clip(f.label, discordLimits.fieldName) || '—',
    value: clip(escapeMarkdown(f.value), discordLimits.fieldValue) || '—',
    inline: f.value.length <= 40,
  }));
  const footer = message.context?.length
    ? clip(message.context.join(' · '), discordLimits.footer)
    : undefined;
  // The embed's characters together stay within 6,000: fields that do not fit are dropped, and
  // the description takes what is left.
  let used = (title?.length ?? 0) + (footer?.length ?? 0);
  const kept = fields.filter((f) => {
    const size = f.name.length + f.value.length;
    if (used + size > discordLimits.embedTotal - 200) return false;
    used += size;
    return true;
  });
  const room = Math.min(discordLimits.description, discordLimits.embedTotal - used);
  const embed: APIEmbed = {
    ...(title ? { title } : {}),
    ...(body && room > 20 ? { description: clip(body, room) } : {}),
    ...(message.status ? { color: statusColor[message.status] } : {}),
    ...(kept.length ? { fields: kept } : {}),
    ...(footer ? { footer: { text: footer } } : {}),
  };
  return { embeds: [embed], components: rows(message.buttons ?? []), allowed_mentions: none };
}
