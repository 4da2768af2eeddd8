/** The journal of CI updates taken in but not yet applied; rows leave it once applied. */
import type { ExternalRunUpdate } from '../core/pipeline-events.ts';
import type { InboundUpdateStore } from '../core/store.ts';
import type { Db } from './db.ts';
import { GroupCommit } from './group-commit.ts';

const ROWS_PER_INSERT = 200;

const revive = (payload: string): ExternalRunUpdate => {
  const update = JSON.parse(payload) as ExternalRunUpdate & { at: string };
  return { ...update, at: new Date(update.at) };
};

export function createInboundUpdateStore(db: Db): InboundUpdateStore {
  // Updates arriving together are one transaction and one fsync; each is on disk before it is answered.
  const appends = new GroupCommit<{ payload: string; received_at: string }, number>(db, {
    durable: true,
    async write(tx, batch) {
      const ids: number[] = [];
      for (let i = 0; i < batch.length; i += ROWS_PER_INSERT) {
        const rows = await tx
          .insertInto('inbound_updates')
          .values(batch.slice(i, i + ROWS_PER_INSERT))
          .returning('id')
          .execute();
        ids.push(...rows.map((r) => r.id));
      }
      return ids;
    },
  });
  return {
    append: (update, at) => appends.add({ payload: JSON.stringify(update), received_at: at.toISOString() }),
    async pending(limit) {
      const rows = await db.selectFrom('inbound_updates').selectAll().orderBy('id').limit(limit).execute();
      return rows.map((r) => ({ id: r.id, update: revive(r.payload), attempts: r.attempts }));
    },
    async applied(id) {
      await db.deleteFrom('inbound_updates').where('id', '=', id).execute();
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
