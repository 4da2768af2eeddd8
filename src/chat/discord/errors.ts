/** Discord failures as DeliveryErrors the outbox understands: when to retry, and what to fix. */
import { DiscordAPIError, HTTPError, RateLimitError } from '@discordjs/rest';
import { DeliveryError } from '../../core/ports.ts';

const PERMANENT: Record<number, string> = {
  400: 'Discord refused the message as malformed; this is a deckhand rendering bug, please report it.',
  401: 'the bot token was refused; check DISCORD_BOT_TOKEN.',
  403: 'the bot may not post here; give it View Channel, Send Messages and Create Public Threads in this channel.',
  404: 'the channel or message does not exist, or the bot cannot see it; check the channel id in deckhand.yaml.',
};

/** A Discord failure as the outbox understands it. */
export function toDeliveryError(error: unknown): DeliveryError {
  if (error instanceof RateLimitError)
    return new DeliveryError(`Discord rate limit (${error.scope})`, Math.max(1, Math.ceil(error.retryAfter)));
  if (error instanceof DiscordAPIError) {
    const permanent = PERMANENT[error.status];
    if (permanent) return new DeliveryError(`${permanent} (code ${error.code})`, undefined, true);
    return new DeliveryError(`Discord answered ${error.status} (code ${error.code})`);
  }
  if (error instanceof HTTPError) return new DeliveryError(`Discord answered ${error.status}`);
  return new DeliveryError(`Discord could not be reached: ${(error as Error).message}`);
}
