/** The kept chat messages (the web chat's), in SQL. */
import type { Selectable } from 'kysely';
import type { TranscriptMessage, TranscriptStore } from '../core/store.ts';
import type { Db } from './db.ts';
import type { WebchatMessagesTable } from './schema.ts';

function toMessage(row: Selectable<WebchatMessagesTable>): TranscriptMessage {
  return {
    id: row.id,
    channel: row.channel,
    threadId: row.thread_id,
    author: { id: row.author_id, name: row.author_name, bot: row.bot === 1 },
    body: row.body,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function createTranscriptStore(db: Db): TranscriptStore {
  const get = async (id: number) => {
    const row = await db.selectFrom('webchat_messages').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toMessage(row);
  };
  return {
    get,
    async insert(message, at) {
      if (message.key) {
        const earlier = await db
          .selectFrom('webchat_messages')
          .selectAll()
          .where('client_key', '=', message.key)
          .executeTakeFirst();
        if (earlier) return toMessage(earlier);
      }
      const row = await db
        .insertInto('webchat_messages')
        .values({
          channel: message.channel,
          thread_id: message.threadId ?? null,
          author_id: message.author.id,
          author_name: message.author.name,
          bot: message.author.bot ? 1 : 0,
          body: message.body,
          created_at: at.toISOString(),
          updated_at: null,
          client_key: message.key ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toMessage(row);
    },
    async updateBody(id, body, at) {
      const row = await db
        .updateTable('webchat_messages')
        .set({ body, updated_at: at.toISOString() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row && toMessage(row);
    },
    async list({ channel, thread, after, limit }) {
      let query = db.selectFrom('webchat_messages').selectAll().where('channel', '=', channel);
      query =
        thread === undefined ? query.where('thread_id', 'is', null) : query.where('thread_id', '=', thread);
      if (after !== undefined) {
        const rows = await query.where('id', '>', after).orderBy('id', 'asc').limit(limit).execute();
        return rows.map(toMessage);
      }
      const newest = await query.orderBy('id', 'desc').limit(limit).execute();
      return newest.reverse().map(toMessage);
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
