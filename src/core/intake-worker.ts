/**
 * The intake's worker: claims what was recorded and not yet handled, hands each record to its
 * source's handler, and removes it once handled. Records of one key are handled in order; records
 * of different keys side by side (their writes then share commits). What a crash interrupted is
 * claimed again and replayed: handlers find what they did before by the record's id.
 *
 * Requests come first: while some wait for their answers the worker takes only small batches, so
 * a burst of deliveries is answered at the webhook path's pace and handled as the rest allows.
 */
import { ProviderError } from './errors.ts';
import type { Logger } from './outbox.ts';
import type { Clock } from './ports.ts';
import type { IntakeRecord, IntakeStore } from './store.ts';

/**
 * Handles one record's data; `record` says which and whether it is a replay (`attempts` > 1).
 * Resolves `'removed'` when it removed the record itself (in the commit of what it wrote).
 */
export type IntakeHandler = (data: unknown, record: { id: number; attempts: number }) => Promise<unknown>;

/** Records claimed at a time while nobody waits. */
const BATCH = 100;

/**
 * While requests are coming in, the worker takes this many records this often (400 a second, a
 * small share of the core): senders are answered first and the intake holds the rest.
 */
const PRESSED = { batch: 8, everyMs: 20 };

/** A CI system's refusal that no retry changes (400, 401, 403, 404, 410, 422); 408, 409, 429 and 5xx may pass. */
function permanent(err: unknown): boolean {
  const status = err instanceof ProviderError ? err.status : undefined;
  return status !== undefined && status >= 400 && status < 500 && ![408, 409, 429].includes(status);
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface IntakeWorkerOptions {
  store: IntakeStore;
  clock: Clock;
  logger: Logger;
  /** This process's name on the records it claims. */
  owner: string;
  /** How long a claim lasts before another process may take the record (default 60 s; renewed while handled). */
  leaseMs?: number;
  /** Attempts before a record that keeps failing is dropped with an error (default 5). */
  maxAttempts?: number;
  /** Wait before retrying a failed record (default 1 s). */
  retryMs?: number;
  /** How often to look for records others let go or whose retry is due (default 1 s). */
  pollMs?: number;
  /** True while requests wait for their answers: the worker then takes a small batch now and then. */
  busy?: () => boolean;
}

export class IntakeWorker {
  private readonly handlers = new Map<string, IntakeHandler>();
  /** Records this process is handling (its own and those it handles inline), whose leases it renews. */
  private readonly held = new Set<number>();
  private draining: Promise<void> | undefined;
  private again = false;
  private running = false;
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly o: IntakeWorkerOptions) {}

  get owner(): string {
    return this.o.owner;
  }

  /** A claim on records, from now. */
  lease() {
    return {
      owner: this.o.owner,
      until: new Date(this.o.clock.now().getTime() + (this.o.leaseMs ?? 60_000)),
    };
  }

  /** Who handles a source's records; set before the worker starts. */
  handle(source: string, handler: IntakeHandler): void {
    this.handlers.set(source, handler);
  }

  /** Keeps a record this process handles outside the worker (inline) claimed until `release`. */
  hold(id: number): void {
    this.held.add(id);
  }

  release(id: number): void {
    this.held.delete(id);
  }

  /** Handles what an earlier run left, then keeps handling as records arrive. */
  start(): void {
    this.running = true;
    const every = (ms: number, work: () => void) => {
      const timer = setInterval(work, ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(this.o.pollMs ?? 1000, () => this.kick());
    every((this.o.leaseMs ?? 60_000) / 3, () => void this.renew());
    this.kick();
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await this.draining;
  }

  /** Resolves once nothing is being handled and nothing claimable waits (tests, shutdown). */
  async idle(): Promise<void> {
    for (;;) {
      while (this.draining) await this.draining;
      if (this.held.size === 0 && (await this.o.store.count()) === 0) return;
      this.kick();
      await pause(10);
    }
  }

  /** Looks for records now. */
  kick(): void {
    if (!this.running) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain()
      .catch((err: unknown) => this.o.logger.error({ err }, 'the intake could not be read'))
      .finally(() => {
        this.draining = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async renew(): Promise<void> {
    if (this.held.size === 0) return;
    try {
      await this.o.store.renew(this.lease(), [...this.held]);
    } catch (err) {
      this.o.logger.warn({ err }, 'could not renew the claim on intake records');
    }
  }

  private async drain(): Promise<void> {
    for (;;) {
      const limit = this.o.busy?.() ? PRESSED.batch : BATCH;
      const batch = await this.o.store.claim(this.lease(), limit, this.o.clock.now());
      if (batch.length === 0) return;
      for (const record of batch) this.held.add(record.id);
      const byKey = new Map<string, IntakeRecord[]>();
      for (const record of batch)
        byKey.set(record.entry.key, [...(byKey.get(record.entry.key) ?? []), record]);
      const done: number[] = [];
      await Promise.all(
        [...byKey.values()].map(async (records) => {
          for (const [i, record] of records.entries()) {
            const outcome = this.running ? await this.handleOne(record) : 'retry';
            if (outcome === 'retry') {
              // The key's later records wait behind it, so its order holds.
              const retryAt = new Date(this.o.clock.now().getTime() + (this.o.retryMs ?? 1000));
              await this.o.store.retry(record.id, retryAt);
              for (const later of records.slice(i + 1))
                await this.o.store.retry(later.id, this.o.clock.now());
              return;
            }
            if (outcome !== 'removed') done.push(record.id);
          }
        }),
      );
      if (done.length > 0) await this.o.store.done(done);
      for (const record of batch) this.held.delete(record.id);
      if (!this.running) return;
      // Requests waiting to be read get in between batches.
      await (this.o.busy?.() ? pause(PRESSED.everyMs) : nextTurn());
    }
  }

  private async handleOne(record: IntakeRecord): Promise<'handled' | 'removed' | 'dropped' | 'retry'> {
    const { source, key, data } = record.entry;
    try {
      const handler = this.handlers.get(source);
      if (!handler) throw new Error(`nothing handles ${source} records (is its module still configured?)`);
      const said = await handler(data, { id: record.id, attempts: record.attempts });
      return said === 'removed' ? 'removed' : 'handled';
    } catch (err) {
      const about = { err, source, key: key.replace('\u0000', ' '), record: record.id };
      // The CI system says the thing does not exist or may not be seen: trying again cannot help.
      if (permanent(err)) {
        this.o.logger.warn(about, 'an intake record names what its CI system refuses; dropped');
        return 'dropped';
      }
      if (record.attempts >= (this.o.maxAttempts ?? 5)) {
        this.o.logger.error(about, 'an intake record failed every attempt and was dropped');
        return 'dropped';
      }
      this.o.logger.warn(about, 'an intake record failed; it will be tried again');
      return 'retry';
    }
  }
}
