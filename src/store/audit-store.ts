/** The audit log in SQL: append and read, never update. */
import type { AuditStore } from '../core/store.ts';
import type { Db } from './db.ts';

export function createAuditStore(db: Db): AuditStore {
  return {
    async append(e) {
      const row = await db
        .insertInto('audit')
        .values({
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
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
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
