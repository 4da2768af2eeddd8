/**
 * The audit log's chain: each entry's hash covers the previous hash and its own contents — an
 * HMAC-SHA-256 under the audit key when deckhand has one (kept outside the database), else plain
 * SHA-256. A checkpoint (the head, anchored outside the database) shows what the chain alone
 * cannot: entries cut from the end, and a chain recomputed from the start.
 *
 * The `-v2` algorithms (written now) hash the entry's `alg` field too, so relabelling an entry
 * breaks its hash. The first forms (`sha256`, `hmac-sha256`) did not; entries written with them
 * still verify, but never after a `-v2` entry or a keyed one after a plain one: no downgrade.
 */
import { createHash, createHmac } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { ChainResult, Checkpoint } from '../core/store.ts';
import type { AuditTable } from './schema.ts';

export const GENESIS = '0'.repeat(64);
/** What deckhand writes now: with the audit key, and without. */
export const KEYED = 'hmac-sha256-v2';
export const PLAIN = 'sha256-v2';

/** Every algorithm an entry may carry: keyed or not, and the version of its hash input. */
export const ALGORITHMS: Readonly<Record<string, { keyed: boolean; version: 1 | 2 }>> = {
  sha256: { keyed: false, version: 1 },
  'hmac-sha256': { keyed: true, version: 1 },
  [PLAIN]: { keyed: false, version: 2 },
  [KEYED]: { keyed: true, version: 2 },
};

/** Whether an entry's algorithm is one chained with the audit key. */
export const isKeyed = (alg: string): boolean =>
  Object.hasOwn(ALGORITHMS, alg) && ALGORITHMS[alg]?.keyed === true;

type Contents = Omit<Selectable<AuditTable>, 'prev_hash' | 'hash' | 'alg' | 'origin'>;
type Row = Selectable<AuditTable>;

/**
 * The hash of an entry under `alg`: HMAC-SHA-256 under `key` for a keyed one, SHA-256 otherwise;
 * a `-v2` one covers `alg` too. The algorithm must be one of ALGORITHMS.
 */
export function entryHash(prevHash: string, e: Contents, alg: string, key?: string): string {
  const spec = Object.hasOwn(ALGORITHMS, alg) ? ALGORITHMS[alg] : undefined;
  if (!spec) throw new Error(`unknown audit algorithm ${JSON.stringify(alg)}`);
  if (spec.keyed && !key) throw new Error(`the audit algorithm ${alg} needs the audit key`);
  const fields: unknown[] = [
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
  if (spec.version === 2) fields.push(alg);
  const hash = spec.keyed ? createHmac('sha256', key as string) : createHash('sha256');
  return hash.update(prevHash).update(JSON.stringify(fields)).digest('hex');
}

/**
 * Walks entries in id order and stops at the first altered, inserted, missing or forged one; then
 * checks the newest checkpoint, when given, and says what the check could not prove.
 */
export function verifyChain(rows: Row[], key?: string, checkpoint?: Checkpoint): ChainResult {
  const fail = (id: number, problem: string): ChainResult => ({
    ok: false,
    entries: rows.length,
    id,
    problem,
  });
  let prev = GENESIS;
  let previousId = 0;
  let keyedFrom: number | undefined;
  let v2From: number | undefined;
  for (const row of rows) {
    if (row.prev_hash !== prev) {
      return fail(
        row.id,
        row.id !== previousId + 1
          ? `entries #${previousId + 1}–#${row.id - 1} are missing (deleted)`
          : `it does not follow entry #${previousId} (the chain was rewritten)`,
      );
    }
    const spec = Object.hasOwn(ALGORITHMS, row.alg) ? ALGORITHMS[row.alg] : undefined;
    if (!spec)
      return fail(
        row.id,
        `its algorithm ${JSON.stringify(row.alg.slice(0, 40))} is not one deckhand knows (${Object.keys(ALGORITHMS).join(', ')}): its alg field was altered, or a newer deckhand wrote it`,
      );
    if (spec.keyed && !key)
      return fail(
        row.id,
        'it is chained with the audit key, which this check was not given (set DECKHAND_AUDIT_KEY or audit.key): it and the entries after it cannot be checked',
      );
    if (spec.keyed) keyedFrom ??= row.id;
    else if (keyedFrom !== undefined)
      return fail(
        row.id,
        'it was written without the audit key after entries written with it: it was forged, or deckhand ran without its key',
      );
    if (spec.version === 2) v2From ??= row.id;
    else if (v2From !== undefined)
      return fail(
        row.id,
        `its algorithm ${row.alg} is the first form, whose hash does not cover the algorithm, after entries in the second (from #${v2From}): its alg field was rewritten, or an older deckhand wrote it`,
      );
    if (entryHash(prev, row, row.alg, key) !== row.hash)
      return fail(
        row.id,
        spec.keyed
          ? 'its MAC does not match: it was altered or forged'
          : 'its contents were altered after it was written',
      );
    prev = row.hash;
    previousId = row.id;
  }
  const caveats: string[] = [];
  if (checkpoint) {
    const found = againstCheckpoint(rows, checkpoint, key);
    if (found.problem) return fail(found.id, found.problem);
    caveats.push(...found.caveats);
  } else {
    caveats.push(
      'no checkpoint was found: entries cut from the end, or a chain recomputed from the start, would not show',
    );
  }
  if (keyedFrom === undefined)
    caveats.push(
      'the chain is plain SHA-256 (no audit key): it shows an entry changed, removed or reordered, but whoever can write to the database can recompute it; only a checkpoint kept elsewhere catches that',
    );
  else if (keyedFrom > 1)
    caveats.push(`entries #1–#${keyedFrom - 1} were written before the audit key was set: SHA-256 only`);
  return { ok: true, entries: rows.length, caveats };
}

function againstCheckpoint(
  rows: Row[],
  checkpoint: Checkpoint,
  key: string | undefined,
): { id: number; problem?: string; caveats: string[] } {
  const seen = `the checkpoint of ${checkpoint.at} anchored ${checkpoint.count} entries up to #${checkpoint.lastId}`;
  const lastId = rows.at(-1)?.id ?? 0;
  if (lastId < checkpoint.lastId)
    return {
      id: lastId + 1,
      problem: `entries #${lastId + 1}–#${checkpoint.lastId} were cut from the end: ${seen}`,
      caveats: [],
    };
  const anchored = rows.find((r) => r.id === checkpoint.lastId);
  const count = rows.filter((r) => r.id <= checkpoint.lastId).length;
  if (!anchored || anchored.hash !== checkpoint.head || count !== checkpoint.count)
    return {
      id: checkpoint.lastId,
      problem: `it is not the entry it was when ${seen}: the chain was rewritten up to it`,
      caveats: [],
    };
  const after = rows.filter((r) => r.id > checkpoint.lastId);
  const unproven = key ? after.filter((r) => !isKeyed(r.alg)) : after;
  const caveats =
    unproven.length > 0
      ? [
          `${unproven.length} entries after the newest checkpoint (${checkpoint.at}) carry no MAC: anyone who can write to the database could have appended them`,
        ]
      : [];
  return { id: checkpoint.lastId, caveats };
}
