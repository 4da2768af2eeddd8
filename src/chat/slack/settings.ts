/** Slack settings: config values, else the conventional environment variables. */

import { checkCredential } from '../../modules/credentials.ts';
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

/**
 * What is missing or malformed (https://api.slack.com/concepts/token-types: bot tokens start
 * `xoxb-`, app-level tokens `xapp-`); empty when Slack can run.
 */
export function slackCredentials(config: SlackConfig | undefined, env: Env): string[] {
  const c = config ?? ({} as Partial<SlackConfig>);
  const problems: string[] = [];
  checkCredential(problems, {
    variable: 'SLACK_BOT_TOKEN',
    key: 'slack.botToken',
    fromKey: c.botToken !== undefined,
    value: c.botToken ?? env.SLACK_BOT_TOKEN,
    expected: 'a bot token starting xoxb-',
    valid: (v) => v.startsWith('xoxb-'),
  });
  const appToken = c.appToken ?? env.SLACK_APP_TOKEN;
  const signingSecret = c.signingSecret ?? env.SLACK_SIGNING_SECRET;
  if (!appToken?.trim() && !signingSecret?.trim())
    problems.push(
      "SLACK_SIGNING_SECRET and SLACK_APP_TOKEN are not set: one of them, the app's signing secret (HTTP) or an app-level token starting xapp- (Socket Mode) (or slack.signingSecret / slack.appToken)",
    );
  checkCredential(problems, {
    variable: 'SLACK_APP_TOKEN',
    key: 'slack.appToken',
    fromKey: c.appToken !== undefined,
    value: appToken,
    expected: 'an app-level token starting xapp-',
    valid: (v) => v.startsWith('xapp-'),
    optional: true,
  });
  return problems;
}
