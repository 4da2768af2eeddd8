/** Discord settings: config values, else the conventional environment variables. */
import type { Env } from '../../modules/common.ts';
import { checkCredential } from '../../modules/credentials.ts';
import type { DiscordConfig } from './config.ts';

export interface DiscordSettings {
  applicationId: string;
  publicKey: string;
  botToken: string;
  apiUrl?: string;
  roles: Record<string, string[]>;
  incidentCategory?: string;
}

/** Resolves settings; throws one sentence naming what is missing. */
export function discordSettings(config: DiscordConfig, env: Env): DiscordSettings {
  const applicationId = config.applicationId ?? env.DISCORD_APPLICATION_ID;
  const publicKey = config.publicKey ?? env.DISCORD_PUBLIC_KEY;
  const botToken = config.botToken ?? env.DISCORD_BOT_TOKEN;
  const missing = [
    applicationId ? undefined : 'DISCORD_APPLICATION_ID',
    publicKey ? undefined : 'DISCORD_PUBLIC_KEY',
    botToken ? undefined : 'DISCORD_BOT_TOKEN',
  ].filter(Boolean);
  if (missing.length) throw new Error(`Discord is configured but ${missing.join(', ')} is not set.`);
  if (!/^[0-9a-f]{64}$/i.test(publicKey as string))
    throw new Error('DISCORD_PUBLIC_KEY must be the application public key: 64 hex digits.');
  return {
    applicationId: applicationId as string,
    publicKey: publicKey as string,
    botToken: botToken as string,
    apiUrl: config.apiUrl ?? env.DISCORD_API_URL,
    roles: config.roles,
    ...(config.incidentCategory ? { incidentCategory: config.incidentCategory } : {}),
  };
}

/**
 * What is missing or malformed: the application id is a snowflake (digits), the public key 64 hex
 * digits (https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint).
 */
export function discordCredentials(config: DiscordConfig | undefined, env: Env): string[] {
  const c = config ?? ({} as Partial<DiscordConfig>);
  const problems: string[] = [];
  checkCredential(problems, {
    variable: 'DISCORD_APPLICATION_ID',
    key: 'discord.applicationId',
    fromKey: c.applicationId !== undefined,
    value: c.applicationId ?? env.DISCORD_APPLICATION_ID,
    expected: "the application's id, a snowflake of 17 to 20 digits",
    valid: (v) => /^\d{17,20}$/.test(v),
  });
  checkCredential(problems, {
    variable: 'DISCORD_PUBLIC_KEY',
    key: 'discord.publicKey',
    fromKey: c.publicKey !== undefined,
    value: c.publicKey ?? env.DISCORD_PUBLIC_KEY,
    expected: "the application's public key, 64 hex digits",
    valid: (v) => /^[0-9a-f]{64}$/i.test(v),
  });
  checkCredential(problems, {
    variable: 'DISCORD_BOT_TOKEN',
    key: 'discord.botToken',
    value: c.botToken ?? env.DISCORD_BOT_TOKEN,
    expected: "the bot's token (Bot page of the application)",
  });
  return problems;
}
