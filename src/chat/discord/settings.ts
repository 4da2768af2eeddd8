/** Discord settings: config values, else the conventional environment variables. */
import type { Env } from '../../modules/common.ts';
import type { DiscordConfig } from './config.ts';

export interface DiscordSettings {
  applicationId: string;
  publicKey: string;
  botToken: string;
  apiUrl?: string;
  roles: Record<string, string[]>;
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
  };
}
