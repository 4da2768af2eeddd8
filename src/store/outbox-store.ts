/** The outbox and the message refs it records, in SQL. */
import type { Selectable } from 'kysely';
import type { Message } from '../core/messages.ts';
import { foldReplies } from '../core/outbox.ts';
import type { OutboxItem, OutboxStore } from '../core/store.ts';
import type { Db } from './db.ts';
import type { OutboxTable } from './schema.ts';

function toItem(row: Selectable<OutboxTable>, uncertain = row.in_doubt === 1): OutboxItem {
  let message: Message | undefined;
  return {
    ...(uncertain ? { uncertain } : {}),
    ...(row.claimed_at ? { claimedAt: new Date(row.claimed_at) } : {}),
    ...(row.origin !== null ? { answer: { origin: row.origin, final: row.origin_final === 1 } } : {}),
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

type Where = Pick<
  Selectable<OutboxTable>,
  'id' | 'platform' | 'channel' | 'op' | 'key' | 'thread_key' | 'thread_id'
>;

const where = ['id', 'platform', 'channel', 'op', 'key', 'thread_key', 'thread_id'] as const;

/** A reply into a run's thread that later replies may join. */
const foldable = (r: Omit<Where, 'id'>) =>
  r.op === 'post' && r.thread_key !== null && r.key === null && r.thread_id === null;

/**
 * Where pending messages wait, kept in memory so that folding a new state into a waiting message
 * does not scan its channel's queue (the table has no index on `key`; a burst to one channel
 * queues thousands). The database stays the truth: this is loaded from it, changed only after a
 * commit, and every fold re-checks that its row is still pending, so a stale entry costs a new
 * row — never a lost or misplaced message.
 */
class PendingIndex {
  private loading: Promise<void> | undefined;
  /** `platform channel key` → pending ids with that key, oldest first. */
  private readonly keyed = new Map<string, number[]>();
  /** `platform channel threadKey` → the newest pending reply in that thread. */
  private readonly replies = new Map<string, number>();

  constructor(private readonly db: Db) {}

  load(): Promise<void> {
    this.loading ??= this.db
      .selectFrom('outbox')
      .select([...where])
      .where('status', '=', 'pending')
      .orderBy('id')
      .execute()
      .then((rows) => {
        for (const row of rows) this.add(row);
      });
    return this.loading;
  }

  /** Pending ids of the message `key` in a channel, oldest first. */
  withKey(platform: string, channel: string, key: string): readonly number[] {
    return this.keyed.get(`${platform}\u0000${channel}\u0000${key}`) ?? [];
  }

  /** The newest pending reply in a run's thread. */
  lastReply(platform: string, channel: string, threadKey: string): number | undefined {
    return this.replies.get(`${platform}\u0000${channel}\u0000${threadKey}`);
  }

  add(row: Where): void {
    const at = `${row.platform}\u0000${row.channel}\u0000`;
    if (row.key !== null) {
      const ids = this.keyed.get(at + row.key) ?? [];
      ids.push(row.id);
      this.keyed.set(at + row.key, ids);
    }
    if (foldable(row)) this.replies.set(at + row.thread_key, row.id);
  }

  remove(row: Where): void {
    const at = `${row.platform}\u0000${row.channel}\u0000`;
    if (row.key !== null) {
      const ids = this.keyed.get(at + row.key)?.filter((id) => id !== row.id) ?? [];
      if (ids.length) this.keyed.set(at + row.key, ids);
      else this.keyed.delete(at + row.key);
    }
    if (row.thread_key !== null && this.replies.get(at + row.thread_key) === row.id)
      this.replies.delete(at + row.thread_key);
  }
}

export function createOutboxStore(db: Db): OutboxStore {
  const index = new PendingIndex(db);
  return {
    async enqueue(items, at) {
      await index.load();
      const now = at.toISOString();
      const added: Where[] = [];
      await db.transaction().execute(async (tx) => {
        /** Replaces a waiting row's payload; false when it is being sent or not waiting any more. */
        const replace = async (id: number, payload: string) => {
          const result = await tx
            .updateTable('outbox')
            .set({ payload })
            .where('id', '=', id)
            .where('status', '=', 'pending')
            .where('lease_owner', 'is', null)
            .executeTakeFirst();
          return Number(result.numUpdatedRows) > 0;
        };
        /** Whether a post under `key` was queued (or sent) before: it is posted once. */
        const posted = async (item: (typeof items)[number]) => {
          if (also((a) => same(a, item) && a.key === item.key && a.op === 'post').length > 0) return true;
          const row = await tx
            .selectFrom('outbox')
            .select('id')
            .where('platform', '=', item.platform)
            .where('channel', '=', item.channel)
            .where('key', '=', item.key as string)
            .where('op', '=', 'post')
            .executeTakeFirst();
          return row !== undefined;
        };
        /** Rows of this transaction that match, after the ones the index knows. */
        const also = (match: (a: Where) => boolean) => added.filter(match).map((a) => a.id);
        const same = (a: Where, item: (typeof items)[number]) =>
          a.platform === item.platform && a.channel === item.channel;
        for (const item of items) {
          const payload = JSON.stringify(item.message);
          const row = {
            platform: item.platform,
            channel: item.channel,
            op: item.op,
            key: item.key ?? null,
            thread_key: item.threadKey ?? null,
            thread_id: item.threadId ?? null,
            origin: item.answer?.origin ?? null,
            origin_final: item.answer?.final ? 1 : 0,
          };
          if (item.op === 'post' && item.key && (await posted(item))) continue;
          if (item.op === 'update' && item.key) {
            // Coalesce: the newest state replaces an undelivered post or update of the same message,
            // in its place in the queue, so thread replies queued after it still find their parent.
            const ids = [
              ...index.withKey(item.platform, item.channel, item.key),
              ...also((a) => same(a, item) && a.key === item.key),
            ];
            let folded = false;
            for (const id of ids) {
              if (await replace(id, payload)) {
                folded = true;
                break;
              }
            }
            if (folded) continue;
          }
          if (foldable(row) && item.threadKey) {
            // Batch: a reply into a run's thread joins the reply still waiting there, if it fits.
            const last =
              also((a) => same(a, item) && foldable(a) && a.thread_key === item.threadKey).at(-1) ??
              index.lastReply(item.platform, item.channel, item.threadKey);
            const waiting =
              last !== undefined
                ? await tx
                    .selectFrom('outbox')
                    .select('payload')
                    .where('id', '=', last)
                    .where('status', '=', 'pending')
                    .where('lease_owner', 'is', null)
                    .executeTakeFirst()
                : undefined;
            const folded = waiting ? foldReplies(JSON.parse(waiting.payload), item.message) : undefined;
            if (last !== undefined && folded && (await replace(last, JSON.stringify(folded)))) continue;
          }
          const inserted = await tx
            .insertInto('outbox')
            .values({
              ...row,
              payload,
              status: 'pending',
              attempts: 0,
              next_attempt_at: now,
              created_at: now,
            })
            .executeTakeFirstOrThrow();
          const { origin: _origin, origin_final: _final, ...shown } = row;
          added.push({ id: Number(inserted.insertId), ...shown });
        }
      });
      for (const row of added) index.add(row);
    },
    async pending(limit, now) {
      // Only each channel's oldest item can go next (channels keep their order), so only those
      // are read: from the index, however long the queues behind them are. A channel whose oldest
      // item someone is sending waits.
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
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now.toISOString())]))
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((row) => toItem(row));
    },
    async claim(ids, lease, now) {
      if (ids.length === 0) return [];
      const at = now.toISOString();
      return db.transaction().execute(async (tx) => {
        const free = await tx
          .selectFrom('outbox')
          .selectAll()
          .where('id', 'in', ids)
          .where('status', '=', 'pending')
          .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]))
          .execute();
        if (free.length === 0) return [];
        // An earlier holder whose lease ran out may have sent it before it could say so: it stays
        // in doubt (looked up before it is posted again) until it is delivered.
        const doubted = free.filter((r) => r.lease_owner !== null && r.in_doubt === 0).map((r) => r.id);
        if (doubted.length > 0)
          await tx.updateTable('outbox').set({ in_doubt: 1 }).where('id', 'in', doubted).execute();
        await tx
          .updateTable('outbox')
          .set((eb) => ({
            lease_owner: lease.owner,
            lease_until: lease.until.toISOString(),
            claimed_at: eb.fn.coalesce('claimed_at', eb.val(at)),
          }))
          .where(
            'id',
            'in',
            free.map((r) => r.id),
          )
          .execute();
        return free.map((row) =>
          toItem(
            { ...row, claimed_at: row.claimed_at ?? at },
            row.in_doubt === 1 || row.lease_owner !== null,
          ),
        );
      });
    },
    async delivered(id, at, ref) {
      const done = await db.transaction().execute(async (tx) => {
        const row = await tx
          .updateTable('outbox')
          .set({
            status: 'delivered',
            delivered_at: at.toISOString(),
            last_error: null,
            lease_owner: null,
            lease_until: null,
          })
          .where('id', '=', id)
          .returning([...where])
          .executeTakeFirst();
        if (row && ref) {
          await tx
            .insertInto('message_refs')
            .values({
              platform: row.platform,
              channel: row.channel,
              key: ref.key,
              message_id: ref.messageId,
              created_at: at.toISOString(),
            })
            .onConflict((oc) =>
              oc.columns(['platform', 'channel', 'key']).doUpdateSet({ message_id: ref.messageId }),
            )
            .execute();
        }
        return row;
      });
      if (done) index.remove(done);
    },
    async retry(id, at, error, inDoubt) {
      await db
        .updateTable('outbox')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          next_attempt_at: at.toISOString(),
          last_error: error,
          lease_owner: null,
          lease_until: null,
          ...(inDoubt ? { in_doubt: 1 } : {}),
        }))
        .where('id', '=', id)
        .execute();
    },
    async failed(id, error) {
      const row = await db
        .updateTable('outbox')
        .set((eb) => ({
          status: 'failed',
          attempts: eb('attempts', '+', 1),
          last_error: error,
          lease_owner: null,
          lease_until: null,
        }))
        .where('id', '=', id)
        .returning([...where])
        .executeTakeFirst();
      if (row) index.remove(row);
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
