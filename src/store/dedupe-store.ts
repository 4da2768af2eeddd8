/** Inbound delivery ids, so retried webhooks and events are handled once. */
import type { DedupeStore } from '../core/store.ts';
import type { Db } from './db.ts';
import { GroupCommit } from './group-commit.ts';

interface Claim {
  source: string;
  key: string;
  at: string;
}

/** Rows per INSERT statement (three values each). */
const ROWS_PER_INSERT = 100;

export function createDedupeStore(db: Db): DedupeStore {
  // Group commit: claims arriving together are one transaction and one fsync; a claim is answered
  // once it is on disk, so a delivery acknowledged is never taken for new after a crash.
  const claims = new GroupCommit<Claim, boolean>(db, {
    durable: true,
    async write(tx, batch) {
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
      // The same key twice in one batch is inserted once: the first claim has it, the next does not.
      return batch.map((c) => inserted.delete(`${c.source}\u0000${c.key}`));
    },
  });
  return {
    claim: (source, key, at) => claims.add({ source, key: key.slice(0, 200), at: at.toISOString() }),
    async prune(before) {
      const result = await db
        .deleteFrom('inbound_dedupe')
        .where('at', '<', before.toISOString())
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
