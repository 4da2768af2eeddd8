/**
 * Button authentication. Mattermost signs nothing it sends to an integration, so each button's
 * `integration.context` carries deckhand's own MAC of the channel and the action; the server keeps
 * the context out of what clients see (it travels in an encrypted cookie:
 * https://github.com/mattermost/mattermost-server/blob/v5.25.6/app/integration_action.go).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What deckhand puts in a button's context. */
export interface ActionContext {
  action: string;
  mac: string;
}

export function actionContext(secret: string, channel: string, action: string): ActionContext {
  return { action, mac: mac(secret, channel, action) };
}

/** Whether a click's context was made by deckhand for this channel. */
export function verifyAction(secret: string, channel: string, context: ActionContext): boolean {
  const expected = Buffer.from(mac(secret, channel, context.action));
  const given = Buffer.from(context.mac);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Whether a slash command's token is one of the configured ones, in constant time. */
export function tokenMatches(tokens: readonly string[], given: string | undefined): boolean {
  if (!given) return false;
  const g = Buffer.from(given);
  let ok = false;
  for (const t of tokens) {
    const b = Buffer.from(t);
    if (b.length === g.length && timingSafeEqual(b, g)) ok = true;
  }
  return ok;
}

function mac(secret: string, channel: string, action: string): string {
  return createHmac('sha256', secret).update(`${channel}\n${action}`).digest('hex');
}
