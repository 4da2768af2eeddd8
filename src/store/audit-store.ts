/** The audit log in SQL: append and read, never update. */
import type { Insertable, Selectable } from 'kysely';
import type { AuditEntry, AuditStore } from '../core/store.ts';
import { entryHash, GENESIS, isKeyed, KEYED, PLAIN, verifyChain } from './audit-chain.ts';
import type { Db } from './db.ts';
import { type Claim, claimOf, insertClaims } from './dedupe-store.ts';
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
const exportColumns = [...entryColumns, 'prev_hash', 'hash', 'alg'] as const;

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

/** With `key`, entries are chained with HMAC-SHA-256 under it; without, with SHA-256 (the `-v2` forms). */
export function createAuditStore(db: Db, durable?: DurableBatch, key?: string): AuditStore {
  const alg = key ? KEYED : PLAIN;
  // Group commit: concurrent appends share one transaction and one fsync. Inside it the chain's
  // end is read once and each entry linked to the one before, in arrival order.
  // An entry with a deduplication key is written only if the key is new, in the same transaction.
  type Item = { entry: Omit<AuditEntry, 'id'>; once?: Claim };
  const appends = (durable ?? new DurableBatch(db)).writer<Item, number | undefined>(async (tx, batch) => {
    const claimed = batch.filter((b) => b.once);
    const fresh = await insertClaims(
      tx,
      claimed.map((b) => b.once as Claim),
    );
    const skip = new Set(claimed.filter((_, i) => !fresh[i]));
    const entries = batch.filter((b) => !skip.has(b)).map((b) => b.entry);
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
      const hash = entryHash(prev, contents, alg, key);
      const row = { ...contents, prev_hash: prev, hash, alg };
      prev = hash;
      return row;
    });
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      await tx
        .insertInto('audit')
        .values(rows.slice(i, i + ROWS_PER_INSERT))
        .execute();
    }
    const ids = rows.map((r) => r.id as number);
    return batch.map((b) => (skip.has(b) ? undefined : ids.shift()));
  });
  return {
    append: (entry, options = {}) =>
      appends({ entry, once: options.once && claimOf(options.once, entry.at) }, options.covered),
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
    async verify(checkpoint) {
      return verifyChain(await db.selectFrom('audit').selectAll().orderBy('id').execute(), key, checkpoint);
    },
    async head() {
      const last = await db
        .selectFrom('audit')
        .select(['id', 'hash', 'alg'])
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!last) return undefined;
      const row = await db
        .selectFrom('audit')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst();
      return { count: Number(row?.n ?? 0), lastId: last.id, head: last.hash, keyed: isKeyed(last.alg) };
    },
  };
}
