/** The outbox and the message refs it records, in SQL. */
import type { Selectable } from 'kysely';
import type { Message } from '../core/messages.ts';
import { foldReplies } from '../core/outbox.ts';
import type { OutboxItem, OutboxStore } from '../core/store.ts';
import type { Db } from './db.ts';
import type { OutboxTable } from './schema.ts';

function toItem(row: Selectable<OutboxTable>): OutboxItem {
  let message: Message | undefined;
  return {
    id: row.id,
    platform: row.platform,
    channel: row.channel,
    op: row.op as OutboxItem['op'],
    key: row.key ?? undefined,
    threadKey: row.thread_key ?? undefined,
    threadId: row.thread_id ?? undefined,
    // Parsed when read: the worker reads only the items it sends.
    get message(): Message {
      message ??= JSON.parse(row.payload) as Message;
      return message;
    },
    attempts: row.attempts,
    nextAttemptAt: new Date(row.next_attempt_at),
  };
}

export function createOutboxStore(db: Db): OutboxStore {
  return {
    async enqueue(items, at, inFlight) {
      const now = at.toISOString();
      await db.transaction().execute(async (tx) => {
        for (const item of items) {
          const payload = JSON.stringify(item.message);
          if (item.op === 'update' && item.key) {
            // Coalesce: the newest state replaces an undelivered post or update of the same message,
            // in its place in the queue, so thread replies queued after it still find their parent.
            const waiting = await tx
              .selectFrom('outbox')
              .select('id')
              .where('status', '=', 'pending')
              .where('platform', '=', item.platform)
              .where('channel', '=', item.channel)
              .where('key', '=', item.key)
              .orderBy('id')
              .execute();
            const idle = waiting.find((w) => !inFlight.has(w.id));
            if (idle) {
              await tx.updateTable('outbox').set({ payload }).where('id', '=', idle.id).execute();
              continue;
            }
          }
          if (item.op === 'post' && item.threadKey && !item.key && !item.threadId) {
            // Batch: a reply into a run's thread joins the reply still waiting there, if it fits.
            const last = await tx
              .selectFrom('outbox')
              .select(['id', 'payload'])
              .where('status', '=', 'pending')
              .where('platform', '=', item.platform)
              .where('channel', '=', item.channel)
              .where('thread_key', '=', item.threadKey)
              .where('op', '=', 'post')
              .where('key', 'is', null)
              .where('thread_id', 'is', null)
              .orderBy('id', 'desc')
              .limit(1)
              .executeTakeFirst();
            const folded =
              last && !inFlight.has(last.id)
                ? foldReplies(JSON.parse(last.payload), item.message)
                : undefined;
            if (last && folded) {
              await tx
                .updateTable('outbox')
                .set({ payload: JSON.stringify(folded) })
                .where('id', '=', last.id)
                .execute();
              continue;
            }
          }
          await tx
            .insertInto('outbox')
            .values({
              platform: item.platform,
              channel: item.channel,
              op: item.op,
              key: item.key ?? null,
              thread_key: item.threadKey ?? null,
              thread_id: item.threadId ?? null,
              payload,
              status: 'pending',
              attempts: 0,
              next_attempt_at: now,
              created_at: now,
            })
            .execute();
        }
      });
    },
    async pending(limit) {
      // Only each channel's oldest item can go next (channels keep their order), so only those
      // are read: from the index, however long the queues behind them are.
      const rows = await db
        .selectFrom('outbox')
        .selectAll()
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('outbox')
            .select((e) => e.fn.min('id').as('id'))
            .where('status', '=', 'pending')
            .groupBy(['platform', 'channel']),
        )
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toItem);
    },
    async delivered(id, at, ref) {
      await db.transaction().execute(async (tx) => {
        const row = await tx
          .updateTable('outbox')
          .set({ status: 'delivered', delivered_at: at.toISOString(), last_error: null })
          .where('id', '=', id)
          .returning(['platform', 'channel'])
          .executeTakeFirst();
        if (row && ref) {
          await tx
            .insertInto('message_refs')
            .values({ ...row, key: ref.key, message_id: ref.messageId, created_at: at.toISOString() })
            .onConflict((oc) =>
              oc.columns(['platform', 'channel', 'key']).doUpdateSet({ message_id: ref.messageId }),
            )
            .execute();
        }
      });
    },
    async retry(id, at, error) {
      await db
        .updateTable('outbox')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          next_attempt_at: at.toISOString(),
          last_error: error,
        }))
        .where('id', '=', id)
        .execute();
    },
    async failed(id, error) {
      await db
        .updateTable('outbox')
        .set((eb) => ({ status: 'failed', attempts: eb('attempts', '+', 1), last_error: error }))
        .where('id', '=', id)
        .execute();
    },
    async ref(platform, channel, key) {
      const row = await db
        .selectFrom('message_refs')
        .select('message_id')
        .where('platform', '=', platform)
        .where('channel', '=', channel)
        .where('key', '=', key)
        .executeTakeFirst();
      return row?.message_id;
    },
    async counts() {
      const rows = await db
        .selectFrom('outbox')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .where('status', 'in', ['pending', 'failed'])
        .groupBy('status')
        .execute();
      const get = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
      return { pending: get('pending'), failed: get('failed') };
    },
  };
}
