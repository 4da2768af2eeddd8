/**
 * One durable batch per turn for every store: delivery claims, intake records and audit entries
 * that arrive together share one transaction and one fsync, instead of one each. Each store's items
 * keep their order; a failing write is retried alone (see GroupCommit).
 *
 * Writes an intake record stands for (a handled command's audit entry, the record's removal) need
 * no fsync of their own: they share a commit of their own in the same turn, which a crash of the
 * process never loses, and after a power loss the record, still on disk, replays them.
 */
import type { Db } from './db.ts';
import { GroupCommit } from './group-commit.ts';

/** Writes one store's items inside `tx`; one result per item, in order. */
export type BatchWrite<T, R> = (tx: Db, items: T[]) => Promise<R[]>;

interface Job {
  write: BatchWrite<unknown, unknown>;
  item: unknown;
  /** A durable intake record stands for it: it needs no sync of its own. */
  covered: boolean;
}

export class DurableBatch {
  private readonly group: GroupCommit<Job, unknown>;

  constructor(db: Db) {
    // One commit a turn, synced unless everything in it is covered.
    const durable = (batch: Job[]) => batch.some((job) => !job.covered);
    this.group = new GroupCommit<Job, unknown>(db, { durable, maxBatch: 500, write: writeAll });
  }

  /**
   * A function queuing one item for `write`; it resolves once the item is committed — synced to
   * disk, unless `covered` says a durable intake record stands for it (then a batch of covered
   * items alone is not synced).
   */
  writer<T, R>(write: BatchWrite<T, R>): (item: T, covered?: boolean) => Promise<R> {
    const shared = write as BatchWrite<unknown, unknown>;
    return (item, covered = false) => this.group.add({ write: shared, item, covered }) as Promise<R>;
  }
}

async function writeAll(tx: Db, jobs: Job[]): Promise<unknown[]> {
  const byWrite = new Map<BatchWrite<unknown, unknown>, number[]>();
  for (const [i, job] of jobs.entries()) {
    const indexes = byWrite.get(job.write);
    if (indexes) indexes.push(i);
    else byWrite.set(job.write, [i]);
  }
  const results: unknown[] = new Array(jobs.length);
  for (const [write, indexes] of byWrite) {
    const answers = await write(
      tx,
      indexes.map((i) => jobs[i]?.item),
    );
    for (const [k, i] of indexes.entries()) results[i] = answers[k];
  }
  return results;
}
