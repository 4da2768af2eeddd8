/**
 * The fields deckhand reads from a Bot Framework activity, checked before anything is recorded
 * (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#activity-object),
 * and the text typed to the bot turned into a command line.
 */
import { z } from 'zod';

const account = z.object({
  id: z.string().min(1).max(200),
  name: z.string().max(200).optional(),
  aadObjectId: z.string().max(100).optional(),
});

export const activity = z.object({
  type: z.string().min(1).max(50),
  id: z.string().min(1).max(200),
  name: z.string().max(100).optional(),
  /** `msteams` from Teams; the signing key must be endorsed for it. */
  channelId: z.string().min(1).max(50),
  serviceUrl: z.url().max(500),
  from: account,
  conversation: z.object({ id: z.string().min(1).max(500), conversationType: z.string().max(50).optional() }),
  replyToId: z.string().max(200).optional(),
  text: z.string().max(4000).optional(),
  value: z.unknown().optional(),
});

export type Activity = z.output<typeof activity>;

export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`;
}

/** A channel conversation's thread is `…;messageid=<root>`: the channel, and the thread's root. */
export function conversationOf(id: string): { channel: string; threadId?: string } {
  const [channel = id, root] = id.split(';messageid=');
  return root ? { channel, threadId: root } : { channel };
}

const entities: Record<string, string> = {
  '&nbsp;': ' ',
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

/**
 * `<at>deckhand</at> ci deploy staging` (or `/ci …`, or `deploy staging` in a personal chat) →
 * `/ci deploy staging`: mentions and markup removed, the default family when no root is typed.
 */
export function commandLine(text: string, roots: readonly string[]): string {
  const plain = text
    .replace(/<at>[^<]*<\/at>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z#0-9]+;/gi, (e) => entities[e] ?? e)
    .trim();
  const [first = '', ...rest] = plain.split(/\s+/);
  const word = first.replace(/^\//, '').toLowerCase();
  if (roots.includes(word)) return [`/${word}`, ...rest].join(' ').trim();
  return `/${roots[0] ?? 'ci'} ${plain}`.trim();
}

/** The button an `adaptiveCard/action` invoke or an `Action.Submit` message names. */
export function actionIdOf(a: Activity): string | undefined {
  const value = a.value as
    | { action?: { verb?: unknown; data?: { actionId?: unknown } }; actionId?: unknown }
    | undefined;
  const id = value?.action?.verb ?? value?.action?.data?.actionId ?? value?.actionId;
  return typeof id === 'string' && id.length > 0 && id.length <= 200 ? id : undefined;
}
