/**
 * The application commands deckhand registers: one slash command per command family (`/ci`), one
 * subcommand per command, one string option per argument and flag
 * (https://discord.com/developers/docs/interactions/application-commands#application-command-object).
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import type { FamilyShape } from '../../modules/chat-platform.ts';
import { clip } from '../../modules/common.ts';

/** Discord allows 25 subcommands a command and 25 options each, descriptions of 1–100 characters. */
const MAX = 25;
const describe = (text: string) => clip(text, 100) || '—';

export function applicationCommands(families: readonly FamilyShape[]): RESTPutAPIApplicationCommandsJSONBody {
  return families.map((f) => ({
    type: ApplicationCommandType.ChatInput,
    name: f.root,
    description: describe(f.summary),
    options: f.specs.slice(0, MAX).map((c) => ({
      type: ApplicationCommandOptionType.Subcommand as const,
      name: c.name,
      description: describe(c.summary),
      // Discord wants required options first.
      options: [...c.args.filter((a) => a.required), ...c.args.filter((a) => !a.required), ...(c.flags ?? [])]
        .slice(0, MAX)
        .map((a) => ({
          type: ApplicationCommandOptionType.String as const,
          name: a.name,
          description: describe(a.description),
          required: a.required === true && c.args.includes(a),
          ...(a.type === 'text' ? { max_length: a.max ?? 500 } : {}),
        })),
    })),
  }));
}
