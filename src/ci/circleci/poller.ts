/**
 * Follows the pipelines deckhand triggered by polling the API, for what webhooks never say: that a
 * job started, that an approval job waits, that CircleCI refused the config (no workflow, so no
 * webhook at all), and every state when no webhook is set up.
 */
import { type ExternalRunSink, type ExternalRunUpdate, finalStatuses } from '../../core/pipeline-events.ts';
import type { Clock } from '../../core/ports.ts';
import type { PipelineRef } from './run-reader.ts';

export interface PollerOptions {
  /** Between two rounds; 0 turns polling off. */
  intervalMs: number;
  /** A pipeline still unfinished after this long is left to webhooks. */
  maxAgeMs: number;
  read(ref: PipelineRef): Promise<ExternalRunUpdate>;
  onUpdate: ExternalRunSink;
  logger: { warn(o: object, m?: string): void };
  clock: Clock;
}

interface Tracked {
  ref: PipelineRef;
  since: number;
  /** What was last reported, to stay quiet while nothing changes. */
  last?: string;
}

export class Poller {
  private readonly tracked = new Map<string, Tracked>();
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private started = false;

  constructor(private readonly o: PollerOptions) {}

  /** Starts following a pipeline. */
  track(ref: PipelineRef): void {
    this.tracked.set(ref.id, { ref, since: this.o.clock.now().getTime() });
  }

  /** Stops following a pipeline (it finished, or a webhook said so). */
  untrack(id: string): void {
    this.tracked.delete(id);
  }

  /** Pipelines being followed. */
  get size(): number {
    return this.tracked.size;
  }

  start(): void {
    if (this.started || this.o.intervalMs <= 0) return;
    this.started = true;
    this.schedule();
  }

  /** Stops polling and waits for a round in progress. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.round;
  }

  /** One round over every followed pipeline, one at a time. */
  async poll(): Promise<void> {
    const now = this.o.clock.now().getTime();
    for (const [id, entry] of [...this.tracked]) {
      if (now - entry.since > this.o.maxAgeMs) {
        this.tracked.delete(id);
        continue;
      }
      try {
        const update = await this.o.read(entry.ref);
        const seen = signature(update);
        if (finalStatuses.has(update.status)) this.tracked.delete(id);
        if (seen === entry.last) continue;
        entry.last = seen;
        await this.o.onUpdate(update);
      } catch (error) {
        this.o.logger.warn(
          { pipeline: id, err: (error as Error).message },
          'could not poll a CircleCI pipeline',
        );
      }
    }
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.round = this.poll().finally(() => {
        this.round = undefined;
        if (this.started) this.schedule();
      });
    }, this.o.intervalMs);
    this.timer.unref();
  }
}

/** The parts of an update people would notice changing. */
function signature(update: ExternalRunUpdate): string {
  return JSON.stringify([update.status, update.reason, update.steps?.map((s) => [s.name, s.status])]);
}
