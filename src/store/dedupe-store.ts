/** Inbound delivery ids, so retried webhooks and events are handled once. */
import type { DedupeStore } from '../core/store.ts';
import type { Db } from './db.ts';
import { DurableBatch } from './durable-batch.ts';

export interface Claim {
  source: string;
  key: string;
  at: string;
}

/** A deduplication key to claim at `at` (keys longer than 200 characters are cut). */
export function claimOf(once: { source: string; key: string }, at: Date): Claim {
  return { source: once.source, key: once.key.slice(0, 200), at: at.toISOString() };
}

/** Rows per INSERT statement (three values each). */
const ROWS_PER_INSERT = 100;

/**
 * Claims keys inside `tx`: true for each claim that is new. The same key twice in one batch is
 * inserted once: the first claim has it, the next does not.
 */
export async function insertClaims(tx: Db, batch: Claim[]): Promise<boolean[]> {
  const inserted = new Set<string>();
  for (let i = 0; i < batch.length; i += ROWS_PER_INSERT) {
    const rows = await tx
      .insertInto('inbound_dedupe')
      .values(batch.slice(i, i + ROWS_PER_INSERT))
      .onConflict((oc) => oc.columns(['source', 'key']).doNothing())
      .returning(['source', 'key'])
      .execute();
    for (const r of rows) inserted.add(`${r.source}\u0000${r.key}`);
  }
  return batch.map((c) => inserted.delete(`${c.source}\u0000${c.key}`));
}

export function createDedupeStore(db: Db, durable?: DurableBatch): DedupeStore {
  // Group commit: claims arriving together are one transaction and one fsync; a claim is answered
  // once it is on disk, so a delivery acknowledged is never taken for new after a crash.
  const claims = (durable ?? new DurableBatch(db)).writer<Claim, boolean>(insertClaims);
  return {
    claim: (source, key, at) => claims(claimOf({ source, key }, at)),
    async known(source, keys) {
      const found = new Set<string>();
      const cut = keys.map((k) => k.slice(0, 200));
      for (let i = 0; i < cut.length; i += ROWS_PER_INSERT) {
        const rows = await db
          .selectFrom('inbound_dedupe')
          .select('key')
          .where('source', '=', source)
          .where('key', 'in', cut.slice(i, i + ROWS_PER_INSERT))
          .execute();
        for (const r of rows) found.add(r.key);
      }
      return new Set(keys.filter((k) => found.has(k.slice(0, 200))));
    },
    async prune(before) {
      const result = await db
        .deleteFrom('inbound_dedupe')
        .where('at', '<', before.toISOString())
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
