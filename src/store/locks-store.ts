/** Deploy locks in SQL; an expired lock counts as none. */
import type { Selectable } from 'kysely';
import type { Lock, LockStore } from '../core/store.ts';
import type { Db } from './db.ts';
import type { LocksTable } from './schema.ts';

const toLock = (r: Selectable<LocksTable>): Lock => ({
  environment: r.environment,
  owner: r.owner,
  reason: r.reason ?? undefined,
  createdAt: new Date(r.created_at),
  expiresAt: r.expires_at ? new Date(r.expires_at) : undefined,
});

const live = (lock: Lock, now: Date) => !lock.expiresAt || lock.expiresAt > now;

export function createLockStore(db: Db): LockStore {
  return {
    async get(environment, now) {
      const row = await db
        .selectFrom('locks')
        .selectAll()
        .where('environment', '=', environment)
        .executeTakeFirst();
      const lock = row ? toLock(row) : undefined;
      return lock && live(lock, now) ? lock : undefined;
    },
    async acquire(lock, now) {
      return db.transaction().execute(async (tx) => {
        const row = await tx
          .selectFrom('locks')
          .selectAll()
          .where('environment', '=', lock.environment)
          .executeTakeFirst();
        const held = row ? toLock(row) : undefined;
        if (held && live(held, now) && held.owner !== lock.owner) return false;
        const values = {
          environment: lock.environment,
          owner: lock.owner,
          reason: lock.reason ?? null,
          created_at: lock.createdAt.toISOString(),
          expires_at: lock.expiresAt?.toISOString() ?? null,
        };
        await tx
          .insertInto('locks')
          .values(values)
          .onConflict((oc) => oc.column('environment').doUpdateSet(values))
          .execute();
        return true;
      });
    },
    async release(environment) {
      const result = await db.deleteFrom('locks').where('environment', '=', environment).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async list(now) {
      const rows = await db.selectFrom('locks').selectAll().orderBy('environment').execute();
      return rows.map(toLock).filter((l) => live(l, now));
    },
  };
}
