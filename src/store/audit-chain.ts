/** The audit log's hash chain: each entry's hash covers the previous hash and its own contents. */
import { createHash } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { ChainResult } from '../core/store.ts';
import type { AuditTable } from './schema.ts';

export const GENESIS = '0'.repeat(64);

type Contents = Omit<Selectable<AuditTable>, 'prev_hash' | 'hash'>;

/** SHA-256 of the previous hash and the entry's fields in a fixed order. */
export function entryHash(prevHash: string, e: Contents): string {
  const fields = [
    e.id,
    e.at,
    e.kind,
    e.actor,
    e.platform,
    e.platform_user,
    e.channel,
    e.text,
    e.command,
    e.decision,
    e.outcome,
    e.run_id,
  ];
  return createHash('sha256').update(prevHash).update(JSON.stringify(fields)).digest('hex');
}

/** Walks entries in id order; stops at the first altered, inserted or missing entry. */
export function verifyChain(rows: Selectable<AuditTable>[]): ChainResult {
  let prev = GENESIS;
  let previousId = 0;
  for (const row of rows) {
    if (row.prev_hash !== prev) {
      const problem =
        row.id !== previousId + 1
          ? `entries ${previousId + 1}–${row.id - 1} are missing (deleted)`
          : `it does not follow entry #${previousId} (the chain was rewritten)`;
      return { ok: false, entries: rows.length, id: row.id, problem };
    }
    if (entryHash(prev, row) !== row.hash) {
      return {
        ok: false,
        entries: rows.length,
        id: row.id,
        problem: 'its contents were altered after it was written',
      };
    }
    prev = row.hash;
    previousId = row.id;
  }
  return { ok: true, entries: rows.length };
}
