/**
 * CI updates — and what webhooks took in, before it is turned into updates — are written to a
 * journal before the CI system hears back, then handled by one worker: a batch at a time,
 * different CI runs side by side (their writes then share commits), each run's updates in order.
 * A crash between the two loses nothing: the journal is replayed at start. Requests come first:
 * while some wait for their answers the worker takes only small batches, so a burst of
 * deliveries is answered at the webhook path's pace and applied as the rest of the time allows.
 */
import type { Logger } from './outbox.ts';
import type { ExternalRunUpdate } from './pipeline-events.ts';
import type { Clock } from './ports.ts';
import type { InboundUpdateStore } from './store.ts';

/** Where an adapter keeps what it took in, on disk, before it answers; handled after, replayed after a crash. */
export interface InboundJournal {
  /**
   * Resolves once `data` (plain JSON) is on disk. Entries with one `key` are handled in order.
   * With `once` (a delivery id), only the first entry with it is kept: false for the others.
   */
  append(
    source: string,
    key: string,
    data: unknown,
    once?: { source: string; key: string },
  ): Promise<boolean>;
  /** Who handles a source's entries; set before the journal starts. */
  handle(source: string, handler: (data: unknown) => Promise<void>): void;
}

/** The journal's own source: a built CI update, applied to runs. */
const UPDATE = 'update';

const revive = (data: unknown): ExternalRunUpdate => {
  const update = data as ExternalRunUpdate & { at: string };
  return { ...update, at: new Date(update.at) };
};

type Row = Awaited<ReturnType<InboundUpdateStore['pending']>>[number];

/** Updates read and applied at a time while nobody waits. */
const BATCH = 100;

/**
 * While requests are coming in, the worker takes this many updates this often (400 a second, a
 * small share of the core): CI systems are answered first and the journal holds the rest.
 */
const PRESSED = { batch: 4, everyMs: 10 };

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface UpdateJournalOptions {
  store: InboundUpdateStore;
  apply(update: ExternalRunUpdate): Promise<void>;
  clock: Clock;
  logger: Logger;
  /** Attempts before an update that keeps failing is dropped with an error (default 3). */
  maxAttempts?: number;
  /** Wait before retrying a failed update (default 1 s). */
  retryMs?: number;
  /** True while requests wait for their answers: the worker then takes a small batch now and then. */
  busy?: () => boolean;
}

export class UpdateJournal implements InboundJournal {
  private readonly handlers = new Map<string, (data: unknown) => Promise<void>>();
  private draining: Promise<void> | undefined;
  private again = false;
  private running = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly o: UpdateJournalOptions) {}

  /** Takes an update in: resolves once it is on disk; it is applied soon after, in arrival order. */
  async accept(update: ExternalRunUpdate): Promise<void> {
    await this.append(UPDATE, `${update.provider}\u0000${update.externalId}`, update);
  }

  async append(
    source: string,
    key: string,
    data: unknown,
    once?: { source: string; key: string },
  ): Promise<boolean> {
    const id = await this.o.store.append({ source, key, data }, this.o.clock.now(), once);
    if (id === undefined) return false;
    this.kick();
    return true;
  }

  handle(source: string, handler: (data: unknown) => Promise<void>): void {
    this.handlers.set(source, handler);
  }

  /** Applies what an earlier run left in the journal, then keeps applying as updates arrive. */
  start(): void {
    this.running = true;
    this.kick();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.retry);
    await this.draining;
  }

  /** Resolves when everything taken in so far is applied (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private kick(): void {
    if (!this.running) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain()
      .catch((err: unknown) => this.o.logger.error({ err }, 'the update journal could not be read'))
      .finally(() => {
        this.draining = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const batch = await this.o.store.pending(this.o.busy?.() ? PRESSED.batch : BATCH);
      if (batch.length === 0) return;
      const byRun = new Map<string, Row[]>();
      for (const row of batch) byRun.set(row.entry.key, [...(byRun.get(row.entry.key) ?? []), row]);
      const done: number[] = [];
      let retry = false;
      await Promise.all(
        [...byRun.values()].map(async (rows) => {
          for (const row of rows) {
            if (!this.running) return;
            const outcome = await this.applyOne(row);
            // A run's later updates wait for the one that failed, so its order holds.
            if (outcome === 'retry') {
              retry = true;
              return;
            }
            done.push(row.id);
          }
        }),
      );
      if (done.length > 0) await this.o.store.applied(done);
      if (retry) {
        this.retry = setTimeout(() => this.kick(), this.o.retryMs ?? 1000);
        return;
      }
      if (!this.running) return;
      // Requests waiting to be read get in between batches.
      await (this.o.busy?.() ? pause(PRESSED.everyMs) : nextTurn());
    }
  }

  private async applyOne(row: Row): Promise<'applied' | 'dropped' | 'retry'> {
    const { source, key, data } = row.entry;
    try {
      if (source === UPDATE) await this.o.apply(revive(data));
      else {
        const handler = this.handlers.get(source);
        if (!handler) throw new Error(`nothing handles ${source} entries (is its adapter still configured?)`);
        await handler(data);
      }
      return 'applied';
    } catch (err) {
      const about = { err, source, key: key.replace('\u0000', ' ') };
      if (row.attempts + 1 >= (this.o.maxAttempts ?? 3)) {
        this.o.logger.error(about, 'a CI update failed every attempt and was dropped');
        return 'dropped';
      }
      this.o.logger.warn(about, 'a CI update failed; it will be tried again');
      await this.o.store.failed(row.id);
      return 'retry';
    }
  }
}
