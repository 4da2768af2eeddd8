/** Slash commands as Slack sends them: form-encoded and signed with the app's signing secret. */
import type autocannon from 'autocannon';
import { signSlackRequest } from '../../src/chat/slack/verify.ts';
import { signingSecret } from './config.ts';

/** Slack gives every invocation its own trigger id (deckhand acts on each id once). */
let triggers = 0;
const run = `${process.pid}.${Date.now()}`;
const nextTrigger = () => `${run}.${++triggers}`;

/** The form body of `/ci <text>` typed by `user` in `channel`, with a trigger id of its own. */
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
    trigger_id: nextTrigger(),
  }).toString();
}

/**
 * A signed request for autocannon, built anew for every request it sends: each has its own trigger
 * id and a signature for it (valid for Slack's five-minute window).
 */
export function signedCommand(text: string, user?: string, channel?: string): autocannon.Request {
  const sign = () => {
    const body = commandBody(text, user, channel);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signSlackRequest(signingSecret, timestamp, body),
    };
    return { body, headers };
  };
  return {
    method: 'POST',
    path: '/slack/commands',
    ...sign(),
    setupRequest: (request: autocannon.Request) => ({ ...request, ...sign() }),
  };
}
