/**
 * Follows queued and running builds by polling until they finish, for Jenkins setups without the
 * Notification plugin (and as a safety net with it). A build a webhook reported final is dropped.
 */
import { ProviderError } from '../../core/errors.ts';
import { type ExternalRunSink, type ExternalRunUpdate, finalStatuses } from '../../core/pipeline-events.ts';
import type { JenkinsClient } from './client.ts';
import { type BuildRef, type ObserveDeps, observeBuild } from './observe.ts';
import { buildId } from './paths.ts';
import type { PipelineMatch } from './pipelines.ts';

/** A queue item waiting for an executor, or a build, that deckhand follows. */
export interface Watch {
  job: string;
  match: PipelineMatch;
  /** Set while the item waits in the queue. */
  queueId?: number;
  /** Set once it is a build. */
  number?: number;
  url?: string;
  runId?: number;
  ref?: string;
  /** Status and steps last reported, to report only changes. */
  reported?: string;
  since: number;
}

/** What the poller needs. */
export interface PollerOptions extends ObserveDeps {
  intervalMs: number;
  onUpdate: ExternalRunSink;
  logger: { warn(o: object, m?: string): void };
}

/** Builds stop being followed after a day, whatever Jenkins says. */
const maxAgeMs = 24 * 60 * 60 * 1000;

/** Polls followed queue items and builds every `intervalMs`, reporting changes to the core. */
export class JenkinsPoller {
  private readonly watches = new Map<string, Watch>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private tick: Promise<void> = Promise.resolve();

  constructor(private readonly o: PollerOptions) {}

  get client(): JenkinsClient {
    return this.o.client;
  }

  /** Follows a queue item until it becomes a build (or is cancelled). */
  watchQueue(w: Omit<Watch, 'since' | 'number'> & { queueId: number }): void {
    this.watches.set(`queue:${w.queueId}`, { ...w, since: this.o.now().getTime() });
  }

  /** Follows a build until it finishes. */
  watchBuild(w: Omit<Watch, 'since' | 'queueId'> & { number: number }): void {
    this.watches.set(buildId(w.job, w.number), { ...w, since: this.o.now().getTime() });
  }

  /** The watch of a run deckhand started, if it is still followed. */
  byRun(runId: number): Watch | undefined {
    return [...this.watches.values()].find((w) => w.runId === runId);
  }

  /** The watch of a build, if it is followed. */
  byBuild(job: string, number: number): Watch | undefined {
    return this.watches.get(buildId(job, number));
  }

  /** A webhook reported the build final: stop polling it. */
  finished(job: string, number: number): void {
    this.watches.delete(buildId(job, number));
  }

  /** How many items are followed. */
  get size(): number {
    return this.watches.size;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  /** Stops polling and waits for a poll in progress. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.tick;
  }

  /** Polls every followed item once (the timer calls this; tests may too). */
  pollOnce(): Promise<void> {
    this.tick = this.tick.then(() => this.pollAll());
    return this.tick;
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      void this.pollOnce().finally(() => this.schedule());
    }, this.o.intervalMs);
    this.timer.unref?.();
  }

  private async pollAll(): Promise<void> {
    for (const [key, watch] of [...this.watches]) {
      if (!this.watches.has(key)) continue;
      if (this.o.now().getTime() - watch.since > maxAgeMs) {
        this.watches.delete(key);
        continue;
      }
      try {
        if (watch.queueId !== undefined && watch.number === undefined) await this.pollQueue(key, watch);
        else await this.pollBuild(key, watch);
      } catch (error) {
        // A deleted build, or a queue item Jenkins has forgotten, will not come back.
        const gone = error instanceof ProviderError && error.status === 404;
        if (gone) this.watches.delete(key);
        const what = gone
          ? 'Jenkins no longer knows it; stopped following it'
          : 'Jenkins poll failed; will retry';
        this.o.logger.warn({ key, err: (error as Error).message }, what);
      }
    }
  }

  private async pollQueue(key: string, watch: Watch): Promise<void> {
    const id = watch.queueId as number;
    const item = await this.o.client.queueItem(id);
    if (item.cancelled) {
      this.watches.delete(key);
      await this.emit({
        provider: 'jenkins',
        externalId: `${watch.job}#queue-${id}`,
        pipeline: watch.match.pipeline.name,
        ref: watch.ref ?? watch.match.branch ?? watch.match.pipeline.defaultBranch,
        status: 'cancelled',
        reason: `Jenkins cancelled the queued build of ${watch.job} before it started.`,
        at: this.o.now(),
      });
      return;
    }
    const number = item.executable?.number;
    if (typeof number !== 'number') return;
    this.watches.delete(key);
    const build = { ...watch, queueId: undefined, number, url: item.executable?.url };
    this.watchBuild(build);
    await this.pollBuild(buildId(watch.job, number), { ...build, since: watch.since });
  }

  private async pollBuild(key: string, watch: Watch): Promise<void> {
    const ref: BuildRef = {
      job: watch.job,
      number: watch.number as number,
      match: watch.match,
      ref: watch.ref,
    };
    const update = await observeBuild(this.o, ref);
    // A webhook may have finished it while this poll was in flight.
    const current = this.watches.get(key);
    if (!current) return;
    const signature = JSON.stringify([update.status, update.steps?.map((s) => s.status)]);
    if (finalStatuses.has(update.status)) this.watches.delete(key);
    if (current.reported === signature) return;
    current.reported = signature;
    await this.emit(update);
  }

  private emit(update: ExternalRunUpdate): Promise<void> {
    return this.o.onUpdate(update);
  }
}
