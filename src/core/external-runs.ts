/**
 * Runs as CI systems report them (webhooks, polls): matched to the run deckhand started, or
 * recorded as a new run when it started on the CI side, then turned into pipeline events.
 */
import type { PipelineCommand } from './catalog.ts';
import type { Directory } from './people.ts';
import {
  type ExternalRunUpdate,
  finalStatuses,
  type PipelineEvent,
  type StepInfo,
} from './pipeline-events.ts';
import type { Clock } from './ports.ts';
import type { RunService } from './runs.ts';
import type { DeploymentStore, RunRecord, RunStore } from './store.ts';

export interface ExternalRunsOptions {
  runs: RunStore;
  service: RunService;
  directory: Directory;
  /** Which command runs a pipeline, to name runs started on the CI side. */
  commandFor(pipeline: string): PipelineCommand | undefined;
  clock: Clock;
  /** Where a deploy started on the CI side is recorded, so `/ci envs` and rollbacks know of it. */
  deployments?: DeploymentStore;
  /** Told once of each deploy started on the CI side (the configured channel hears of it). */
  outside?(run: RunRecord): Promise<void>;
}

/** How long a triggered run may wait to be matched to the CI system's id. */
const matchWindowMs = 30 * 60_000;

export class ExternalRuns {
  private readonly chains = new Map<string, Promise<number | undefined>>();

  constructor(private readonly o: ExternalRunsOptions) {}

  /**
   * Applies an update; unknown runs of unknown pipelines are ignored. Updates about one CI run are
   * handled one at a time, so two deliveries about a new run cannot record it twice.
   */
  handle(update: ExternalRunUpdate): Promise<number | undefined> {
    const key = `${update.provider}\u0000${update.externalId}`;
    const next = (this.chains.get(key) ?? Promise.resolve(undefined)).then(
      () => this.apply(update),
      () => this.apply(update),
    );
    this.chains.set(key, next);
    void next
      .catch(() => undefined)
      .finally(() => {
        if (this.chains.get(key) === next) this.chains.delete(key);
      });
    return next;
  }

  private async apply(update: ExternalRunUpdate): Promise<number | undefined> {
    const run = (await this.match(update)) ?? (await this.record(update));
    if (!run) return undefined;
    await this.o.service.update(
      run.id,
      async (current) => this.events(current, update),
      `${update.provider} update`,
    );
    return run.id;
  }

  private async match(update: ExternalRunUpdate): Promise<RunRecord | undefined> {
    const known = await this.o.runs.byExternalId(update.provider, update.externalId);
    if (known || !update.pipeline) return known;
    // Triggered by deckhand, but the CI system's answer did not carry the run id: the oldest
    // waiting run of this pipeline at this ref is it.
    const since = new Date(this.o.clock.now().getTime() - matchWindowMs);
    const waiting = await this.o.runs.awaitingExternalId(update.provider, update.pipeline, since);
    const run = waiting.find((r) => r.ref === update.ref) ?? undefined;
    if (!run) return undefined;
    run.externalId = update.externalId;
    run.url = update.url ?? run.url;
    await this.o.runs.save(run);
    return run;
  }

  private async record(update: ExternalRunUpdate): Promise<RunRecord | undefined> {
    if (!update.pipeline) return undefined;
    const command = this.o.commandFor(update.pipeline);
    const kind =
      update.kind ??
      (command === 'deploy' && update.environment ? 'deploy' : command === 'test' ? 'test' : 'build');
    const person = update.actor?.email ? this.o.directory.byEmail(update.actor.email) : undefined;
    const requestedBy =
      person?.id ?? (update.actor?.login ? `${update.provider}:${update.actor.login}` : update.provider);
    const run = await this.o.runs.create(
      {
        kind,
        pipeline: update.pipeline,
        provider: update.provider,
        externalId: update.externalId,
        url: update.url,
        ref: update.ref,
        environment: kind === 'deploy' ? update.environment : undefined,
        version: kind === 'deploy' ? update.ref : undefined,
        params: {},
        requestedBy,
        // Started on the CI side: nobody in chat is waiting for a reply.
        source: { platform: '', channel: '' },
      },
      update.at,
    );
    if (run.kind === 'deploy' && run.environment && run.created !== false) {
      // Deployed without deckhand: what is live there changes all the same.
      await this.o.deployments?.create(
        {
          environment: run.environment,
          version: run.version ?? run.ref,
          commitSha: update.commit?.sha,
          runId: run.id,
          kind: 'deploy',
          requestedBy,
        },
        update.at,
      );
      await this.o.outside?.(run);
    }
    return run;
  }

  /** The pipeline events that take `run` from its current state to the one reported. */
  private async events(run: RunRecord, update: ExternalRunUpdate): Promise<PipelineEvent[]> {
    const { at } = update;
    const events: PipelineEvent[] = [];
    if (run.status !== 'queued' && run.status !== 'running') return events;
    if (update.url && run.url !== update.url) {
      run.url = update.url;
      await this.o.runs.save(run);
    }
    const reported = update.steps ?? (update.step ? this.merge(run.steps, update.step) : undefined);
    if (run.status === 'queued' && update.status !== 'queued') {
      const steps = (reported ?? []).map((s) => s.name);
      events.push({ type: 'run.started', runId: run.id, at, commit: update.commit, steps });
    }
    for (const step of reported ?? []) {
      const before = run.steps.find((s) => s.name === step.name);
      if (before?.status === step.status) continue;
      if (step.status === 'running') events.push({ type: 'step.started', runId: run.id, at, step });
      else if (finalStatuses.has(step.status))
        events.push({ type: 'step.finished', runId: run.id, at, step });
    }
    if (finalStatuses.has(update.status)) {
      events.push({
        type: 'run.finished',
        runId: run.id,
        at,
        status: update.status as 'succeeded' | 'failed' | 'cancelled',
        reason: update.reason,
        commit: update.commit,
        tests: update.tests,
        durationMs:
          update.durationMs ?? Math.max(0, at.getTime() - (run.startedAt ?? run.createdAt).getTime()),
      });
    }
    return events;
  }

  /** Steps with one job's new state, matched by name (new jobs are appended). */
  private merge(steps: StepInfo[], step: StepInfo): StepInfo[] {
    const index = steps.findIndex((s) => s.name === step.name);
    if (index === -1) return [...steps, { ...step, index: steps.length }];
    return steps.map((s, i) => (i === index ? { ...step, index } : s));
  }
}
