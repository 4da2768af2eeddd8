/** Inbound delivery ids, so retried webhooks and events are handled once. */
import type { DedupeStore } from '../core/store.ts';
import type { Db } from './db.ts';

export function createDedupeStore(db: Db): DedupeStore {
  return {
    async claim(source, key, at) {
      const result = await db
        .insertInto('inbound_dedupe')
        .values({ source, key: key.slice(0, 200), at: at.toISOString() })
        .onConflict((oc) => oc.columns(['source', 'key']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
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
