/** `deckhand slack manifest`: print the Slack app manifest, with defaults from the config when there is one. */
import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { ConfigError, defaultConfigFile, type LoadedConfig } from '../../config/load.ts';
import type { CliContext } from '../../modules/chat-platform.ts';
import type { SlackConfig } from './config.ts';
import { slackManifest } from './manifest.ts';

/** The flags of `deckhand slack manifest`. */
export interface SlackManifestFlags {
  url?: string;
  socket?: boolean;
  command?: string;
  name?: string;
  config?: string;
}

/** Where the command writes and which environment it reads (tests pass their own). */
export interface SlackCliIo {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
}

const processIo: SlackCliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
};

/** A config given with --config must load; one found by default is used when it exists. */
async function configFor(
  cli: Pick<CliContext, 'loadConfig'>,
  explicit: string | undefined,
  env: SlackCliIo['env'],
): Promise<LoadedConfig | undefined> {
  if (explicit) return cli.loadConfig(explicit, env);
  const found = defaultConfigFile(env);
  return existsSync(found) ? cli.loadConfig(found, env) : undefined;
}

/** Prints the manifest; returns the exit code (2 on any error, which goes to stderr). */
export async function runSlackManifest(
  cli: Pick<CliContext, 'loadConfig' | 'families'>,
  flags: SlackManifestFlags,
  io: SlackCliIo = processIo,
): Promise<number> {
  try {
    const config = await configFor(cli, flags.config, io.env);
    const slack = config?.sections.slack as SlackConfig | undefined;
    // The first family answers the configured command; each other family its own.
    const more = cli.families.slice(1).map((f) => ({
      command: slack?.commands[f.root] ?? `/${f.root}`,
      description: f.summary,
      usageHint: f.commands.join(' | '),
    }));
    const url = flags.url ?? config?.server.publicUrl;
    // The same rule as `deckhand start`: an app token (config or SLACK_APP_TOKEN) means Socket Mode.
    const appToken = slack ? (slack.appToken ?? io.env.SLACK_APP_TOKEN) : undefined;
    const socketMode = flags.socket === true || url === undefined || (!flags.url && Boolean(appToken));
    io.out(
      slackManifest({ url, socketMode, command: flags.command ?? slack?.command, name: flags.name, more }),
    );
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.err(error instanceof ConfigError ? message : `deckhand: ${message}`);
    return 2;
  }
}

/** The `slack` command group of the command line. */
export function slackCli(cli: CliContext): Command {
  const { configOption } = cli;
  const slack = new Command('slack').description('Slack app helpers');
  slack
    .command('manifest')
    .description('print the manifest for Slack\'s "Create app from manifest"')
    .option('--url <url>', "deckhand's public https URL for HTTP mode (default: server.publicUrl)")
    .option('--socket', 'Socket Mode, no public URL (default without a URL or with an app token)')
    .option('--command <command>', 'the slash command (default: slack.command, else /ci)')
    .option('--name <name>', 'the app name (default: deckhand)')
    .option(...configOption)
    .action(async (flags: SlackManifestFlags) => {
      process.exitCode = await runSlackManifest(cli, flags);
    });
  return slack;
}
