/** Answers chat platforms owe in place across a restart (Discord's deferred interactions), in SQL. */
import type { DeferredAnswerStore } from '../core/store.ts';
import type { Db } from './db.ts';

export function createDeferredAnswerStore(db: Db): DeferredAnswerStore {
  return {
    async save(answer, at) {
      const row = {
        platform: answer.platform,
        origin: answer.origin,
        channel: answer.channel,
        sealed: answer.sealed,
        expires_at: answer.expiresAt.toISOString(),
        created_at: at.toISOString(),
      };
      await db
        .insertInto('deferred_answers')
        .values(row)
        .onConflict((oc) => oc.columns(['platform', 'origin']).doUpdateSet(row))
        .execute();
    },
    async open(platform, now) {
      const at = now.toISOString();
      await db.deleteFrom('deferred_answers').where('expires_at', '<=', at).execute();
      const rows = await db
        .selectFrom('deferred_answers')
        .selectAll()
        .where('platform', '=', platform)
        .execute();
      return rows.map((r) => ({
        platform: r.platform,
        origin: r.origin,
        channel: r.channel,
        sealed: r.sealed,
        expiresAt: new Date(r.expires_at),
      }));
    },
    async remove(platform, origin) {
      await db
        .deleteFrom('deferred_answers')
        .where('platform', '=', platform)
        .where('origin', '=', origin)
        .execute();
    },
  };
}
