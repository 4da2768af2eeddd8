/**
 * The intake in SQL: what deckhand acknowledged and has not finished handling. Records leave it once
 * handled. Claims are single statements with leases, so several processes could share the table.
 */
import { sql } from 'kysely';
import type { IntakeStore, Lease } from '../core/store.ts';
import type { Db } from './db.ts';
import { type Claim, claimOf, insertClaims } from './dedupe-store.ts';
import { DurableBatch } from './durable-batch.ts';

const ROWS_PER_STATEMENT = 200;

interface Row {
  source: string;
  key: string;
  payload: string;
  received_at: string;
  attempts: number;
  lease_owner: string | null;
  lease_until: string | null;
}

async function insertRows(tx: Db, rows: Row[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const inserted = await tx
      .insertInto('intake')
      .values(rows.slice(i, i + ROWS_PER_STATEMENT))
      .returning('id')
      .execute();
    ids.push(...inserted.map((r) => r.id));
  }
  return ids;
}

/** Runs `work` over `ids` a statement's worth at a time. */
async function chunked(ids: number[], work: (part: number[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < ids.length; i += ROWS_PER_STATEMENT) await work(ids.slice(i, i + ROWS_PER_STATEMENT));
}

export function createIntakeStore(db: Db, durable = new DurableBatch(db)): IntakeStore {
  // Records arriving together are one transaction and one fsync; each is on disk before it is
  // answered. A record with a claim is written only if the claim is new, in the same transaction.
  const appends = durable.writer<{ row: Row; claim?: Claim }, number | undefined>(async (tx, batch) => {
    const claimed = batch.filter((b) => b.claim);
    const fresh = await insertClaims(
      tx,
      claimed.map((b) => b.claim as Claim),
    );
    const skip = new Set(claimed.filter((_, i) => !fresh[i]));
    const kept = batch.filter((b) => !skip.has(b));
    const ids = await insertRows(
      tx,
      kept.map((b) => b.row),
    );
    const idOf = new Map(kept.map((b, i) => [b, ids[i]]));
    return batch.map((b) => idOf.get(b));
  });
  // Handled records leave together, on disk before anyone is told they are done.
  const removals = durable.writer<number, undefined>(async (tx, ids) => {
    await chunked(ids, (part) => tx.deleteFrom('intake').where('id', 'in', part).execute());
    return ids.map(() => undefined);
  });
  return {
    append: (entry, at, options = {}) =>
      appends({
        row: {
          source: entry.source,
          key: entry.key,
          payload: JSON.stringify(entry.data),
          received_at: at.toISOString(),
          attempts: options.lease ? 1 : 0,
          lease_owner: options.lease?.owner ?? null,
          lease_until: options.lease?.until.toISOString() ?? null,
        },
        claim: options.once && claimOf(options.once, at),
      }),
    async claim(lease, limit, now) {
      const at = now.toISOString();
      // One statement: free records, oldest first, none behind an older record of its key that is
      // held or waiting for its retry.
      const rows = await db
        .updateTable('intake')
        .set((eb) => ({
          lease_owner: lease.owner,
          lease_until: lease.until.toISOString(),
          attempts: eb('attempts', '+', 1),
        }))
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('intake as i')
            .select('i.id')
            .where((w) => w.or([w('i.lease_until', 'is', null), w('i.lease_until', '<', at)]))
            .where(({ not, exists, selectFrom }) =>
              not(
                exists(
                  selectFrom('intake as j')
                    .select(sql.lit(1).as('one'))
                    .whereRef('j.key', '=', 'i.key')
                    .whereRef('j.id', '<', 'i.id')
                    .where('j.lease_until', '>=', at),
                ),
              ),
            )
            .orderBy('i.id')
            .limit(limit),
        )
        .returning(['id', 'source', 'key', 'payload', 'attempts'])
        .execute();
      return rows
        .sort((a, b) => a.id - b.id)
        .map((r) => ({
          id: r.id,
          entry: { source: r.source, key: r.key, data: JSON.parse(r.payload) as unknown },
          attempts: r.attempts,
        }));
    },
    async renew(lease: Lease, ids) {
      await chunked(ids, (part) =>
        db
          .updateTable('intake')
          .set({ lease_until: lease.until.toISOString() })
          .where('id', 'in', part)
          .where('lease_owner', '=', lease.owner)
          .execute(),
      );
    },
    async done(ids) {
      await Promise.all(ids.map((id) => removals(id, true)));
    },
    async retry(id, retryAt) {
      await db
        .updateTable('intake')
        .set({ lease_owner: null, lease_until: retryAt.toISOString() })
        .where('id', '=', id)
        .execute();
    },
    async count() {
      const row = await db
        .selectFrom('intake')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
  };
}
