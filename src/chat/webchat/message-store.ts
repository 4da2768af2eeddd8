/** The web chat's own message table: insert, update, look up and list. */
import type { Selectable } from 'kysely';
import type { Clock } from '../../core/ports.ts';
import type { Db } from '../../store/db.ts';
import type { WebchatMessagesTable } from '../../store/schema.ts';

/** One stored web chat message, as read from the database. */
export type WebchatRow = Selectable<WebchatMessagesTable>;

/** Who wrote a message. */
export interface WebchatAuthor {
  id: string;
  name: string;
  bot: boolean;
}

/** A message to store; `body` is already JSON. */
export interface NewWebchatMessage {
  channel: string;
  /** Id of the top-level message this replies to. */
  threadId?: string | null;
  author: WebchatAuthor;
  body: string;
}

/** Which messages to list: a channel's top level, or one thread's replies. */
export interface ListQuery {
  channel: string;
  /** Parent message id; lists that thread's replies instead of the top level. */
  thread?: string;
  /** Only messages with a larger id, oldest first. */
  after?: number;
  limit: number;
}

/** Database access for web chat messages. */
export interface WebchatStore {
  insert(message: NewWebchatMessage): Promise<WebchatRow>;
  /** Replaces the body and stamps updated_at; undefined when the id is unknown. */
  updateBody(id: number, body: string): Promise<WebchatRow | undefined>;
  get(id: number): Promise<WebchatRow | undefined>;
  list(query: ListQuery): Promise<WebchatRow[]>;
  /** Reply counts of the given top-level messages, keyed by their id as a string. */
  replyCounts(ids: number[]): Promise<Map<string, number>>;
  /** Every channel that holds at least one message, sorted. */
  channels(): Promise<string[]>;
}

/** Parses a platform message id ("12") into a row id; undefined when it is not one. */
export function parseMessageId(value: string | number | undefined | null): number | undefined {
  const text = String(value ?? '');
  if (!/^[1-9][0-9]{0,15}$/.test(text)) return undefined;
  const id = Number(text);
  return Number.isSafeInteger(id) ? id : undefined;
}

/** Builds the store over a migrated database. */
export function createWebchatStore(db: Db, clock: Clock): WebchatStore {
  const get = (id: number) =>
    db.selectFrom('webchat_messages').selectAll().where('id', '=', id).executeTakeFirst();
  return {
    get,
    async insert(message) {
      return db
        .insertInto('webchat_messages')
        .values({
          channel: message.channel,
          thread_id: message.threadId ?? null,
          author_id: message.author.id,
          author_name: message.author.name,
          bot: message.author.bot ? 1 : 0,
          body: message.body,
          created_at: clock.now().toISOString(),
          updated_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    },
    async updateBody(id, body) {
      return db
        .updateTable('webchat_messages')
        .set({ body, updated_at: clock.now().toISOString() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
    },
    async list({ channel, thread, after, limit }) {
      let query = db.selectFrom('webchat_messages').selectAll().where('channel', '=', channel);
      query =
        thread === undefined ? query.where('thread_id', 'is', null) : query.where('thread_id', '=', thread);
      if (after !== undefined) {
        return query.where('id', '>', after).orderBy('id', 'asc').limit(limit).execute();
      }
      const newest = await query.orderBy('id', 'desc').limit(limit).execute();
      return newest.reverse();
    },
    async replyCounts(ids) {
      const counts = new Map<string, number>();
      if (ids.length === 0) return counts;
      const rows = await db
        .selectFrom('webchat_messages')
        .select(['thread_id', (eb) => eb.fn.countAll<number>().as('count')])
        .where(
          'thread_id',
          'in',
          ids.map((id) => String(id)),
        )
        .groupBy('thread_id')
        .execute();
      for (const row of rows) if (row.thread_id !== null) counts.set(row.thread_id, Number(row.count));
      return counts;
    },
    async channels() {
      const rows = await db
        .selectFrom('webchat_messages')
        .select('channel')
        .distinct()
        .orderBy('channel')
        .execute();
      return rows.map((row) => row.channel);
    },
  };
}
