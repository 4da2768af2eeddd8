/** Slash commands as Slack sends them: form-encoded and signed with the app's signing secret. */
import type autocannon from 'autocannon';
import { signSlackRequest } from '../../src/chat/slack/verify.ts';
import { signingSecret } from './config.ts';

/** The form body of `/ci <text>` typed by `user` in `channel`. */
export function commandBody(text: string, user = 'U-alice', channel = 'C-general'): string {
  return new URLSearchParams({
    token: 'legacy-unused',
    team_id: 'T1',
    team_domain: 'bench',
    channel_id: channel,
    channel_name: 'general',
    user_id: user,
    user_name: user.toLowerCase(),
    command: '/ci',
    text,
    api_app_id: 'A1',
    is_enterprise_install: 'false',
    response_url: 'https://hooks.slack.test/commands/T1/1/abc',
    trigger_id: '1.2.3',
  }).toString();
}

/** A signed request for autocannon; the signature is valid for Slack's five-minute window. */
export function signedCommand(text: string, user?: string, channel?: string): autocannon.Request {
  const body = commandBody(text, user, channel);
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    method: 'POST',
    path: '/slack/commands',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signSlackRequest(signingSecret, timestamp, body),
    },
    body,
  };
}
