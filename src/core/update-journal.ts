/**
 * CI updates are written to a journal before the CI system hears back, then applied in order by
 * one worker. A crash between the two loses nothing: the journal is replayed at start.
 */
import type { Logger } from './outbox.ts';
import type { ExternalRunUpdate } from './pipeline-events.ts';
import type { Clock } from './ports.ts';
import type { InboundUpdateStore } from './store.ts';

export interface UpdateJournalOptions {
  store: InboundUpdateStore;
  apply(update: ExternalRunUpdate): Promise<void>;
  clock: Clock;
  logger: Logger;
  /** Attempts before an update that keeps failing is dropped with an error (default 3). */
  maxAttempts?: number;
  /** Wait before retrying a failed update (default 1 s). */
  retryMs?: number;
}

export class UpdateJournal {
  private draining: Promise<void> | undefined;
  private again = false;
  private running = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly o: UpdateJournalOptions) {}

  /** Takes an update in: resolves once it is on disk; it is applied soon after, in arrival order. */
  async accept(update: ExternalRunUpdate): Promise<void> {
    await this.o.store.append(update, this.o.clock.now());
    this.kick();
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
    const max = this.o.maxAttempts ?? 3;
    for (;;) {
      const batch = await this.o.store.pending(100);
      if (batch.length === 0) return;
      for (const row of batch) {
        if (!this.running) return;
        try {
          await this.o.apply(row.update);
          await this.o.store.applied(row.id);
        } catch (err) {
          const { provider, externalId } = row.update;
          if (row.attempts + 1 >= max) {
            this.o.logger.error(
              { err, provider, externalId },
              'a CI update failed every attempt and was dropped',
            );
            await this.o.store.applied(row.id);
            continue;
          }
          this.o.logger.warn({ err, provider, externalId }, 'a CI update failed; it will be tried again');
          await this.o.store.failed(row.id);
          this.retry = setTimeout(() => this.kick(), this.o.retryMs ?? 1000);
          return;
        }
      }
    }
  }
}
