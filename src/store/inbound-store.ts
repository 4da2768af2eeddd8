/** The journal of what webhooks and pollers took in and is not yet handled; rows leave it once handled. */
import type { InboundUpdateStore } from '../core/store.ts';
import type { Db } from './db.ts';
import { type Claim, insertClaims } from './dedupe-store.ts';
import { DurableBatch } from './durable-batch.ts';

const ROWS_PER_INSERT = 200;

interface Row {
  source: string;
  key: string;
  payload: string;
  received_at: string;
}

async function insertRows(tx: Db, rows: Row[]): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const inserted = await tx
      .insertInto('inbound_updates')
      .values(rows.slice(i, i + ROWS_PER_INSERT))
      .returning('id')
      .execute();
    ids.push(...inserted.map((r) => r.id));
  }
  return ids;
}

export function createInboundUpdateStore(db: Db, durable?: DurableBatch): InboundUpdateStore {
  // Entries arriving together are one transaction and one fsync; each is on disk before it is
  // answered. An entry with a claim is written only if the claim is new, in the same transaction.
  const appends = (durable ?? new DurableBatch(db)).writer<{ row: Row; claim?: Claim }, number | undefined>(
    async (tx, batch) => {
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
    },
  );
  return {
    append: (entry, at, once) =>
      appends({
        row: {
          source: entry.source,
          key: entry.key,
          payload: JSON.stringify(entry.data),
          received_at: at.toISOString(),
        },
        claim: once && { source: once.source, key: once.key.slice(0, 200), at: at.toISOString() },
      }),
    async pending(limit) {
      const rows = await db.selectFrom('inbound_updates').selectAll().orderBy('id').limit(limit).execute();
      return rows.map((r) => ({
        id: r.id,
        entry: { source: r.source, key: r.key, data: JSON.parse(r.payload) as unknown },
        attempts: r.attempts,
      }));
    },
    async applied(ids) {
      for (let i = 0; i < ids.length; i += ROWS_PER_INSERT)
        await db
          .deleteFrom('inbound_updates')
          .where('id', 'in', ids.slice(i, i + ROWS_PER_INSERT))
          .execute();
    },
    async failed(id) {
      await db
        .updateTable('inbound_updates')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('id', '=', id)
        .execute();
    },
  };
}
