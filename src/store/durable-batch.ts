/**
 * One durable batch per turn for every store: delivery claims, journalled CI updates and audit
 * entries that arrive together share one transaction and one fsync, instead of one each. Each
 * store's items keep their order; a failing write is retried alone (see GroupCommit).
 */
import type { Db } from './db.ts';
import { GroupCommit } from './group-commit.ts';

/** Writes one store's items inside `tx`; one result per item, in order. */
export type BatchWrite<T, R> = (tx: Db, items: T[]) => Promise<R[]>;

interface Job {
  write: BatchWrite<unknown, unknown>;
  item: unknown;
}

export class DurableBatch {
  private readonly group: GroupCommit<Job, unknown>;

  constructor(db: Db) {
    this.group = new GroupCommit<Job, unknown>(db, { durable: true, maxBatch: 500, write: writeAll });
  }

  /** A function queuing one item for `write`; it resolves once the item is on disk. */
  writer<T, R>(write: BatchWrite<T, R>): (item: T) => Promise<R> {
    const shared = write as BatchWrite<unknown, unknown>;
    return (item) => this.group.add({ write: shared, item }) as Promise<R>;
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
