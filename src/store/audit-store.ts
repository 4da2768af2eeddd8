/** The audit log in SQL: append and read, never update. */
import type { Insertable, Selectable } from 'kysely';
import type { AuditEntry, AuditStore } from '../core/store.ts';
import { entryHash, GENESIS, verifyChain } from './audit-chain.ts';
import type { Db } from './db.ts';
import { DurableBatch } from './durable-batch.ts';
import type { AuditTable } from './schema.ts';

/** Rows per INSERT statement (14 values each, well under SQLite's limit on bound parameters). */
const ROWS_PER_INSERT = 50;

/** The columns an entry is read from (its chain hashes aside). */
export const entryColumns = [
  'id',
  'at',
  'kind',
  'actor',
  'platform',
  'platform_user',
  'channel',
  'text',
  'command',
  'decision',
  'outcome',
  'run_id',
] as const;

/** The columns an export gives: the entry and its chain hashes. */
const exportColumns = [...entryColumns, 'prev_hash', 'hash'] as const;

/** An audit row as the core sees it. */
export function toAuditEntry(r: Pick<Selectable<AuditTable>, (typeof entryColumns)[number]>): AuditEntry {
  return {
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
  };
}

export function createAuditStore(db: Db, durable?: DurableBatch): AuditStore {
  // Group commit: concurrent appends share one transaction and one fsync. Inside it the chain's
  // end is read once and each entry linked to the one before, in arrival order.
  const appends = (durable ?? new DurableBatch(db)).writer<Omit<AuditEntry, 'id'>, number>(
    async (tx, batch) => {
      // An entry whose origin (the intake record it is about) is already in the log was written
      // before a crash: a replay does not write it again.
      const origins = batch.flatMap((e) => (e.origin ? [e.origin] : []));
      const known = new Map<string, number>();
      if (origins.length > 0) {
        const rows = await tx
          .selectFrom('audit')
          .select(['id', 'origin'])
          .where('origin', 'in', origins)
          .execute();
        for (const r of rows) if (r.origin) known.set(r.origin, r.id);
      }
      const entries = batch.filter((e) => {
        if (!e.origin) return true;
        if (known.has(e.origin)) return false;
        known.set(e.origin, 0);
        return true;
      });
      const last = await tx
        .selectFrom('audit')
        .select(['id', 'hash'])
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      let id = last?.id ?? 0;
      let prev = last?.hash ?? GENESIS;
      const rows: Insertable<AuditTable>[] = entries.map((e) => {
        const contents = {
          id: ++id,
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
        const hash = entryHash(prev, contents);
        const row = { ...contents, prev_hash: prev, hash, origin: e.origin ?? null };
        prev = hash;
        return row;
      });
      for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
        await tx
          .insertInto('audit')
          .values(rows.slice(i, i + ROWS_PER_INSERT))
          .execute();
      }
      const written = new Map(entries.map((e, i) => [e, rows[i]?.id as number]));
      return batch.map((e) => written.get(e) ?? known.get(e.origin as string) ?? 0);
    },
  );
  return {
    append: (e) => appends(e),
    async recent(limit) {
      const rows = await db.selectFrom('audit').selectAll().orderBy('id', 'desc').limit(limit).execute();
      return rows.map(toAuditEntry);
    },
    exportColumns,
    async exportRows(since) {
      let query = db
        .selectFrom('audit')
        .select([...exportColumns])
        .orderBy('id');
      if (since) query = query.where('at', '>=', since.toISOString());
      return query.execute();
    },
    async verify() {
      return verifyChain(await db.selectFrom('audit').selectAll().orderBy('id').execute());
    },
  };
}
