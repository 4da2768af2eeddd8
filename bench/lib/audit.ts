/** Reads a stopped deckhand's SQLite file from outside: what reached the disk. */
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { Selectable } from 'kysely';
import { verifyChain } from '../../src/store/audit-chain.ts';
import type { AuditTable } from '../../src/store/schema.ts';

/** Audit entries of the given kind and whether the whole hash chain verifies. */
export function auditOnDisk(dir: string, kind = 'command'): { entries: number; chain_ok: boolean } {
  const db = new SQLite(path.join(dir, 'data', 'deckhand.db'), { readonly: true });
  try {
    const rows = db.prepare('SELECT * FROM audit ORDER BY id').all() as Selectable<AuditTable>[];
    return { entries: rows.filter((r) => r.kind === kind).length, chain_ok: verifyChain(rows).ok };
  } finally {
    db.close();
  }
}

/** Rows of a table in a stopped deckhand's database. */
export function countRows(dir: string, table: string, where = '1 = 1'): number {
  const db = new SQLite(path.join(dir, 'data', 'deckhand.db'), { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}
