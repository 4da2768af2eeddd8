/**
 * Group commit: writes that arrive while the process is busy wait for the end of the event loop's
 * current turn and are committed together, in arrival order, in one transaction. Under load, N
 * concurrent writers cost one transaction — and, where it is synced, one fsync — instead of N;
 * alone, a write waits for nothing but the rest of the turn.
 */
import { SqliteAdapter, sql } from 'kysely';
import type { Db } from './db.ts';

export interface GroupCommitOptions<T, R> {
  /** Writes one batch inside `tx` and returns one result per item, in order. */
  write(tx: Db, batch: T[]): Promise<R[]>;
  /** Syncs a batch to disk before its writers hear back (SQLite: the WAL is fsynced); per batch when a function. */
  durable?: boolean | ((batch: T[]) => boolean);
  /** Largest batch (default 200). */
  maxBatch?: number;
}

interface Waiting<T, R> {
  item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export class GroupCommit<T, R> {
  private queue: Waiting<T, R>[] = [];
  private busy = false;
  /** SQLite's `synchronous` level as configured; read once, before the first durable batch. */
  private level: number | undefined;

  constructor(
    private readonly db: Db,
    private readonly o: GroupCommitOptions<T, R>,
  ) {}

  /** Queues a write; resolves with its result once the batch holding it is committed. */
  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.busy) return;
      this.busy = true;
      // After this turn's I/O callbacks, so every request handled in it joins the batch.
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.o.maxBatch ?? 200);
      try {
        const results = await this.commit(batch.map((w) => w.item));
        for (const [i, w] of batch.entries()) w.resolve(results[i] as R);
      } catch {
        // One bad write must not fail the others: retry each alone, each with its own answer.
        for (const w of batch) {
          await this.commit([w.item]).then(
            ([result]) => w.resolve(result as R),
            (error: unknown) => w.reject(error),
          );
        }
      }
    }
    this.busy = false;
  }

  private async commit(batch: T[]): Promise<R[]> {
    const durable = typeof this.o.durable === 'function' ? this.o.durable(batch) : this.o.durable;
    const sync = durable && (await this.raiseSync());
    try {
      return await this.db.transaction().execute((tx) => this.o.write(tx, batch));
    } finally {
      if (sync) await sql.raw(`PRAGMA synchronous = ${this.level}`).execute(this.db);
    }
  }

  /**
   * SQLite in WAL mode with `synchronous = NORMAL` (deckhand's setting) survives a crash of the
   * process but not of the machine. A durable batch commits with `FULL`, which fsyncs the WAL — and
   * with it everything committed before. True when the level was raised (and must be restored).
   */
  private async raiseSync(): Promise<boolean> {
    if (!(this.db.getExecutor().adapter instanceof SqliteAdapter)) return false;
    if (this.level === undefined) {
      const { rows } = await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(this.db);
      this.level = Number(rows[0]?.synchronous ?? 2);
    }
    if (this.level >= 2) return false;
    await sql`PRAGMA synchronous = FULL`.execute(this.db);
    return true;
  }
}
