/** Mattermost settings: config values, else the conventional environment variables. */
import { createHmac } from 'node:crypto';
import type { Env } from '../../modules/common.ts';
import { checkCredential, isHttpUrl } from '../../modules/credentials.ts';
import type { MattermostConfig } from './config.ts';

export interface MattermostSettings {
  url: string;
  commandTokens: string[];
  botToken: string;
  actionSecret: string;
  actionsUrl: string;
  command: string;
  commands: Record<string, string>;
  groups: Record<string, string[]>;
  groupCacheTtl: number;
  /** Team id incident channels are created in. */
  team?: string;
}

/** Resolves settings; throws one sentence naming what is missing. */
export function mattermostSettings(
  config: MattermostConfig,
  env: Env,
  publicUrl: string,
): MattermostSettings {
  const url = config.url ?? env.MATTERMOST_URL;
  const tokens = (config.commandToken ?? env.MATTERMOST_COMMAND_TOKEN ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const botToken = config.botToken ?? env.MATTERMOST_BOT_TOKEN;
  if (!url) throw new Error('Mattermost is configured but MATTERMOST_URL is not set (or mattermost.url).');
  if (!/^https?:\/\//.test(url)) throw new Error('MATTERMOST_URL must be an http(s) URL.');
  if (!botToken)
    throw new Error('Mattermost is configured but MATTERMOST_BOT_TOKEN is not set (or mattermost.botToken).');
  if (tokens.length === 0)
    throw new Error(
      'Mattermost needs MATTERMOST_COMMAND_TOKEN (the slash command token) to verify commands.',
    );
  const actionSecret =
    config.actionSecret ??
    env.MATTERMOST_ACTION_SECRET ??
    createHmac('sha256', botToken).update('deckhand mattermost actions').digest('hex');
  return {
    url: url.replace(/\/+$/, ''),
    commandTokens: tokens,
    botToken,
    actionSecret,
    actionsUrl: config.actionsUrl ?? `${publicUrl.replace(/\/+$/, '')}/mattermost/actions`,
    command: config.command,
    commands: config.commands,
    groups: config.groups,
    groupCacheTtl: config.groupCacheTtl,
    ...(config.team ? { team: config.team } : {}),
  };
}

/** What is missing or malformed; empty when Mattermost can run. */
export function mattermostCredentials(config: MattermostConfig | undefined, env: Env): string[] {
  const c = config ?? ({} as Partial<MattermostConfig>);
  const problems: string[] = [];
  checkCredential(problems, {
    variable: 'MATTERMOST_URL',
    key: 'mattermost.url',
    fromKey: c.url !== undefined,
    value: c.url ?? env.MATTERMOST_URL,
    expected: 'the Mattermost server as an http(s) URL, e.g. https://chat.example.com',
    valid: isHttpUrl,
  });
  checkCredential(problems, {
    variable: 'MATTERMOST_BOT_TOKEN',
    key: 'mattermost.botToken',
    value: c.botToken ?? env.MATTERMOST_BOT_TOKEN,
    expected: "the bot account's access token",
  });
  checkCredential(problems, {
    variable: 'MATTERMOST_COMMAND_TOKEN',
    key: 'mattermost.commandToken',
    value: c.commandToken ?? env.MATTERMOST_COMMAND_TOKEN,
    expected: 'the slash command token (several separated by commas)',
  });
  return problems;
}
