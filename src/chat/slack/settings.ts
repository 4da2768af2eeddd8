/** Slack settings: config values, else the conventional environment variables. */
import type { SlackConfig } from './config.ts';

export interface SlackSettings {
  signingSecret?: string;
  botToken: string;
  appToken?: string;
  apiUrl?: string;
  command: string;
  /** Slash commands of other families by root word. */
  commands: Record<string, string>;
  usergroups: Record<string, string[]>;
  usergroupCacheTtl: number;
  broadcastFinal: boolean;
  /** Socket Mode when an app token is set; HTTP otherwise. */
  mode: 'socket' | 'http';
}

type Env = Record<string, string | undefined>;

/** Resolves settings; throws one sentence naming what is missing. */
export function slackSettings(config: SlackConfig, env: Env = process.env): SlackSettings {
  const botToken = config.botToken ?? env.SLACK_BOT_TOKEN;
  const appToken = config.appToken ?? env.SLACK_APP_TOKEN;
  const signingSecret = config.signingSecret ?? env.SLACK_SIGNING_SECRET;
  if (!botToken) throw new Error('Slack is configured but SLACK_BOT_TOKEN is not set (or slack.botToken).');
  if (!appToken && !signingSecret) {
    throw new Error(
      'Slack needs SLACK_SIGNING_SECRET to verify requests over HTTP, or SLACK_APP_TOKEN for Socket Mode.',
    );
  }
  if (appToken && !appToken.startsWith('xapp-'))
    throw new Error('SLACK_APP_TOKEN must be an app-level token (xapp-…).');
  return {
    signingSecret,
    botToken,
    appToken,
    apiUrl: config.apiUrl ?? env.SLACK_API_URL,
    command: config.command,
    commands: config.commands,
    usergroups: config.usergroups,
    usergroupCacheTtl: config.usergroupCacheTtl,
    broadcastFinal: config.broadcastFinal,
    mode: appToken ? 'socket' : 'http',
  };
}
