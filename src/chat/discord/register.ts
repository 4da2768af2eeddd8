/** Registers deckhand's slash commands with Discord (`deckhand discord register-commands`). */
import { existsSync } from 'node:fs';
import { Routes } from 'discord-api-types/v10';
import { ConfigError, defaultConfigFile } from '../../config/load.ts';
import type { CliContext } from '../../modules/chat-platform.ts';
import type { Env } from '../../modules/common.ts';
import { applicationCommands } from './commands.ts';
import { type DiscordConfig, discordSection } from './config.ts';
import { createDiscordSender, toDeliveryError } from './sender.ts';

export interface DiscordCliIo {
  out(text: string): void;
  err(text: string): void;
  env: Env;
}

const processIo: DiscordCliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
};

/** Registers (bulk-overwrites) the commands, for one guild (at once) or globally; the exit code. */
export async function registerCommands(
  cli: Pick<CliContext, 'loadConfig' | 'families'>,
  flags: { guild?: string; config?: string },
  io: DiscordCliIo = processIo,
): Promise<number> {
  const guildProblem = flags.guild === undefined ? undefined : checkGuild(flags.guild);
  if (guildProblem) {
    io.err(guildProblem);
    return 2;
  }
  let section: DiscordConfig = discordSection.parse({});
  try {
    const file = flags.config ?? defaultConfigFile(io.env);
    if (flags.config || existsSync(file)) {
      const config = await cli.loadConfig(file, io.env);
      section = (config.sections.discord as DiscordConfig | undefined) ?? section;
    }
  } catch (error) {
    io.err(error instanceof ConfigError ? error.message : String((error as Error).message));
    return 2;
  }
  const applicationId = section.applicationId ?? io.env.DISCORD_APPLICATION_ID;
  const token = section.botToken ?? io.env.DISCORD_BOT_TOKEN;
  if (!applicationId || !token) {
    io.err(
      'Set DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN (or discord.applicationId and discord.botToken).',
    );
    return 2;
  }
  const { rest } = createDiscordSender({ token, apiUrl: section.apiUrl ?? io.env.DISCORD_API_URL });
  const body = applicationCommands(cli.families);
  const route = flags.guild
    ? Routes.applicationGuildCommands(applicationId, flags.guild)
    : Routes.applicationCommands(applicationId);
  try {
    const saved = (await rest.put(route, { body })) as { name: string }[];
    const where = flags.guild
      ? `in server ${flags.guild}`
      : 'globally (they may take up to an hour to appear)';
    io.out(`Registered ${saved.map((c) => `/${c.name}`).join(', ')} ${where}.\n`);
    return 0;
  } catch (error) {
    io.err(`Discord refused the commands: ${toDeliveryError(error).message}`);
    return 1;
  }
}

/**
 * A server (guild) id is a snowflake: 17 to 20 digits
 * (https://discord.com/developers/docs/reference#snowflakes); the sentence when it is not.
 */
export function checkGuild(guild: string): string | undefined {
  if (/^\d{17,20}$/.test(guild)) return undefined;
  const shown = guild.length > 40 ? `${guild.slice(0, 40)}…` : guild;
  return `--guild takes a Discord server id, 17 to 20 digits, not "${shown}". In Discord, turn on Developer Mode (User Settings → Advanced), then right-click the server → Copy Server ID.`;
}
