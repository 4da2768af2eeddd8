/**
 * The Teams ChatSender: proactive messages, thread replies and in-place updates through the Bot
 * Connector with the Teams SDK's client (`@microsoft/teams.api`), authorised by a cached
 * client-credentials token. The client neither retries nor waits: 429, 412, 502 and 504 come back
 * to the outbox with the wait Teams asked for (or a backoff), which keeps each thread within
 * Teams' limits (about 7 messages a second per bot per thread).
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
 * No `find`: the Bot Connector cannot list or search a conversation's activities, so a message in
 * doubt after a crash may show twice (docs/platforms.md, "Delivery guarantees").
 */
import { Client } from '@microsoft/teams.api';
import { type ChatSender, DeliveryError, plainChat } from '../../core/ports.ts';
import { renderTeams } from './render.ts';

const RETRYABLE = new Set([412, 429, 502, 503, 504]);

const PERMANENT: Record<number, string> = {
  400: 'Teams refused the activity as malformed; this is a deckhand rendering bug, please report it.',
  401: 'the Bot Connector refused the token; check TEAMS_APP_ID, TEAMS_APP_PASSWORD and TEAMS_TENANT_ID.',
  403: 'the bot may not post in this conversation; install the Teams app in the team or chat.',
  404: 'the conversation or message does not exist; check the channel id in deckhand.yaml.',
};

/** The SDK logs through this; deckhand keeps its own logs (and no request bodies). */
type SdkLogger = NonNullable<
  Extract<ConstructorParameters<typeof Client>[1], { logger?: unknown }>['logger']
>;
const quiet: SdkLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  trace: () => undefined,
  log: () => undefined,
  child: () => quiet,
};

export function toDeliveryError(error: unknown): DeliveryError {
  const response = (error as { response?: { status?: number; headers?: Record<string, unknown> } }).response;
  const status = response?.status;
  if (status === undefined)
    return new DeliveryError(`Teams could not be reached: ${(error as Error).message}`);
  if (RETRYABLE.has(status)) {
    const seconds = Number(response?.headers?.['retry-after']);
    const wait = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : status === 429 ? 1000 : undefined;
    return new DeliveryError(`Teams answered ${status}`, wait);
  }
  const permanent = PERMANENT[status];
  if (permanent) return new DeliveryError(permanent, undefined, true);
  return new DeliveryError(`Teams answered ${status}`, undefined, status < 500);
}

/**
 * A reply in a channel thread goes to `<channel>;messageid=<root>`, as the Teams SDK sends one
 * (`@microsoft/teams.apps` dist/utils/thread.js toThreadedConversationId, used by App.reply).
 */
export const threaded = (conversation: string, root: string) =>
  `${conversation.split(';')[0]};messageid=${root}`;

export function createTeamsSender(o: {
  /** The configured service URL, for conversations never heard from. */
  serviceUrl: string;
  token: () => Promise<string>;
  /** Each conversation's own service URL (its region's), where known. */
  serviceUrlOf?: (conversation: string) => Promise<string>;
}): ChatSender & { coalesceMs: number } {
  const clients = new Map<string, Client>();
  const clientFor = (serviceUrl: string) => {
    const base = serviceUrl.replace(/\/+$/, '');
    let client = clients.get(base);
    if (!client) {
      client = new Client(base, { token: () => o.token(), timeout: 30_000, logger: quiet });
      clients.set(base, client);
    }
    return client;
  };
  /** The activities of a conversation, through the service URL of the conversation (not of a thread). */
  const activities = async (conversation: string) => {
    const serviceUrl = (await o.serviceUrlOf?.(conversation.split(';')[0] as string)) ?? o.serviceUrl;
    return clientFor(serviceUrl).conversations.activities(conversation);
  };
  const call = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw toDeliveryError(error);
    }
  };
  return {
    platform: 'teams',
    // No ephemeral replies or modals in a bot conversation; groups would need Microsoft Graph.
    capabilities: { ...plainChat, threads: true, updates: true },
    // 7 messages a second per thread, 60 per 30 seconds: updates wait half a second and fold.
    coalesceMs: 500,
    async post(address, message) {
      const activity = renderTeams(message);
      const conversation = address.threadId ? threaded(address.channel, address.threadId) : address.channel;
      const sent = await call(async () => (await activities(conversation)).create(activity));
      if (!sent?.id)
        throw new DeliveryError('Teams accepted the message but returned no id', undefined, true);
      return { messageId: sent.id };
    },
    async update(address, messageId, message) {
      const conversation = address.channel.split(';')[0] as string;
      await call(async () => (await activities(conversation)).update(messageId, renderTeams(message)));
    },
  };
}
