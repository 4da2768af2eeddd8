/** Maps Slack Web API failures to DeliveryErrors the outbox understands: when to retry, and what to fix. */
import { ErrorCode } from '@slack/web-api';
import { DeliveryError } from '../../core/ports.ts';

const CHECK_TOKEN = 'check SLACK_BOT_TOKEN.';
const RENDER_BUG = 'this is a deckhand rendering bug, please report it.';

/** What each refusal means and what to do, for codes where retrying cannot help. */
const PERMANENT: Record<string, string> = {
  channel_not_found:
    'the channel does not exist or the bot cannot see it; check the channel id in deckhand.yaml.',
  not_in_channel: 'the bot is not a member of the channel; invite the bot with /invite @deckhand.',
  is_archived: 'the channel is archived; unarchive it or pick another channel in deckhand.yaml.',
  invalid_auth: `the bot token was refused; ${CHECK_TOKEN}`,
  not_authed: `no bot token was sent; ${CHECK_TOKEN}`,
  token_revoked: `the bot token was revoked; ${CHECK_TOKEN}`,
  token_expired: `the bot token has expired; ${CHECK_TOKEN}`,
  account_inactive: `the bot's account or workspace is inactive; ${CHECK_TOKEN}`,
  not_allowed_token_type: `this is not a bot token (xoxb-…); ${CHECK_TOKEN}`,
  msg_too_long: `the message text is longer than Slack allows; ${RENDER_BUG}`,
  invalid_blocks: `Slack rejected the message layout (Block Kit); ${RENDER_BUG}`,
  invalid_blocks_format: `Slack rejected the message layout (Block Kit); ${RENDER_BUG}`,
  invalid_attachments: `Slack rejected the message attachments; ${RENDER_BUG}`,
  no_text: `the message had no text; ${RENDER_BUG}`,
  message_not_found: 'the message to update no longer exists (it may have been deleted); it is left as is.',
  cant_update_message: 'the bot may only edit its own messages; the message is left as is.',
  edit_window_closed: 'the message is too old to edit; it is left as is.',
  restricted_action: 'a workspace setting stops the bot from posting here; ask a Slack admin.',
  ekm_access_denied: 'a Slack admin has suspended posting messages; ask a Slack admin.',
};

/** Codes that mean "Slack had a problem, try again later". */
const TRANSIENT = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'team_added_to_org',
  'ratelimited',
  'rate_limited',
]);

/** Whether an `ok:false` code means retrying cannot help (unknown codes count as permanent). */
export function isPermanentSlackError(code: string): boolean {
  return !TRANSIENT.has(code);
}

/** Removes anything shaped like a Slack token from a message. */
export function redactTokens(text: string): string {
  return text.replace(/\bx(?:ox[a-z]|app)-[A-Za-z0-9-]+/g, '[redacted token]');
}

interface SlackErrorLike {
  code?: unknown;
  message?: unknown;
  retryAfter?: unknown;
  statusCode?: unknown;
  data?: { error?: unknown; needed?: unknown; response_metadata?: { retryAfter?: unknown } };
  original?: { message?: unknown; name?: unknown; cause?: { code?: unknown } };
}

function platformError(data: NonNullable<SlackErrorLike['data']>): DeliveryError {
  const code = typeof data.error === 'string' ? data.error : 'unknown_error';
  if (code === 'ratelimited' || code === 'rate_limited') {
    const seconds = data.response_metadata?.retryAfter;
    return new DeliveryError('Slack rate limit', typeof seconds === 'number' ? seconds * 1000 : undefined);
  }
  if (TRANSIENT.has(code))
    return new DeliveryError(`Slack says ${code}: a problem on Slack's side; the message will be retried.`);
  if (code === 'missing_scope') {
    const scope = typeof data.needed === 'string' ? `the ${data.needed} scope` : 'a required scope';
    return new DeliveryError(
      `Slack says missing_scope: the bot token lacks ${scope}; add it under OAuth & Permissions and reinstall the app.`,
      undefined,
      true,
    );
  }
  const advice =
    PERMANENT[code] ?? 'Slack refused the request; see the Slack API documentation for this code.';
  return new DeliveryError(`Slack says ${code}: ${advice}`, undefined, true);
}

function requestError(error: SlackErrorLike): DeliveryError {
  const original = error.original;
  const detail =
    typeof original?.cause?.code === 'string'
      ? original.cause.code
      : original?.name === 'TimeoutError'
        ? 'timed out'
        : String(original?.message ?? 'request failed');
  return new DeliveryError(`Could not reach Slack (${detail}); the message will be retried.`);
}

function httpError(status: number): DeliveryError {
  const transient = status >= 500 || status === 408;
  return transient
    ? new DeliveryError(`Slack answered HTTP ${status}; the message will be retried.`)
    : new DeliveryError(
        `Slack answered HTTP ${status}, which it never sends for a valid call; check the Slack API URL.`,
        undefined,
        true,
      );
}

function classify(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as SlackErrorLike;
  switch (e.code) {
    case ErrorCode.RateLimitedError: {
      const seconds = typeof e.retryAfter === 'number' ? e.retryAfter : undefined;
      return new DeliveryError('Slack rate limit (429)', seconds === undefined ? undefined : seconds * 1000);
    }
    case ErrorCode.PlatformError:
      return platformError(e.data ?? {});
    case ErrorCode.HTTPError:
      return httpError(typeof e.statusCode === 'number' ? e.statusCode : 0);
    case ErrorCode.RequestError:
      return requestError(e);
  }
  const message = typeof e.message === 'string' ? e.message : String(error);
  // WebClient throws a plain Error for a 429 whose Retry-After it cannot parse.
  if (message.startsWith('Retry header did not contain'))
    return new DeliveryError('Slack rate limit (429) without a usable Retry-After');
  return new DeliveryError(`Slack call failed: ${message}`);
}

/** Turns anything the Slack WebClient throws into a DeliveryError; the message never holds a token. */
export function toDeliveryError(error: unknown): DeliveryError {
  const mapped = classify(error);
  const safe = redactTokens(mapped.message);
  return safe === mapped.message ? mapped : new DeliveryError(safe, mapped.retryAfterMs, mapped.permanent);
}
