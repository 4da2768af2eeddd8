/** The audit log in SQL: append and read, never update. */
import type { AuditStore } from '../core/store.ts';
import { entryHash, GENESIS } from './audit-chain.ts';
import type { Db } from './db.ts';

export function createAuditStore(db: Db): AuditStore {
  return {
    async append(e) {
      // One transaction: read the chain's end, link the new entry to it.
      return db.transaction().execute(async (tx) => {
        const last = await tx
          .selectFrom('audit')
          .select(['id', 'hash'])
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst();
        const contents = {
          id: (last?.id ?? 0) + 1,
          at: e.at.toISOString(),
          kind: e.kind,
          actor: e.actor ?? null,
          platform: e.platform ?? null,
          platform_user: e.platformUser ?? null,
          channel: e.channel ?? null,
          text: e.text ?? null,
          command: e.command === undefined ? null : JSON.stringify(e.command),
          decision: e.decision,
          outcome: e.outcome ?? null,
          run_id: e.runId ?? null,
        };
        const prev = last?.hash ?? GENESIS;
        await tx
          .insertInto('audit')
          .values({ ...contents, prev_hash: prev, hash: entryHash(prev, contents) })
          .execute();
        return contents.id;
      });
    },
    async recent(limit) {
      const rows = await db.selectFrom('audit').selectAll().orderBy('id', 'desc').limit(limit).execute();
      return rows.map((r) => ({
        id: r.id,
        at: new Date(r.at),
        kind: r.kind,
        actor: r.actor ?? undefined,
        platform: r.platform ?? undefined,
        platformUser: r.platform_user ?? undefined,
        channel: r.channel ?? undefined,
        text: r.text ?? undefined,
        command: r.command ? JSON.parse(r.command) : undefined,
        decision: r.decision,
        outcome: r.outcome ?? undefined,
        runId: r.run_id ?? undefined,
      }));
    },
  };
}
