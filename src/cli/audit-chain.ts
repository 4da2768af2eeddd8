/** `deckhand audit verify` and `deckhand audit export`. */
import type { LoadedConfig } from '../config/load.ts';
import { verifyChain } from '../store/audit-chain.ts';
import { entryColumns } from '../store/audit-store.ts';
import { openSqlite } from '../store/index.ts';

/** Proves the chain intact (exit 0) or names the first altered entry (exit 1). */
export async function runAuditVerify(config: LoadedConfig): Promise<number> {
  const db = await openSqlite(config.paths.sqlite);
  try {
    const rows = await db.selectFrom('audit').selectAll().orderBy('id').execute();
    const result = verifyChain(rows);
    if (result.ok) {
      console.log(`The audit log is intact: ${result.entries} entries, each linked to the one before.`);
      return 0;
    }
    console.error(`The audit log was tampered with at entry #${result.id}: ${result.problem}.`);
    return 1;
  } finally {
    await db.destroy();
  }
}

const columns = [...entryColumns, 'prev_hash', 'hash'] as const;

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
const csvField = (value: unknown): string => {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** Prints entries oldest first, as JSON lines or CSV, with their hashes so the chain can be checked elsewhere. */
export async function runAuditExport(
  config: LoadedConfig,
  since: Date | undefined,
  format: 'jsonl' | 'csv',
): Promise<void> {
  const db = await openSqlite(config.paths.sqlite);
  try {
    let query = db.selectFrom('audit').selectAll().orderBy('id');
    if (since) query = query.where('at', '>=', since.toISOString());
    const rows = await query.execute();
    if (format === 'csv') console.log(columns.join(','));
    for (const row of rows) {
      console.log(format === 'csv' ? columns.map((c) => csvField(row[c])).join(',') : JSON.stringify(row));
    }
  } finally {
    await db.destroy();
  }
}
