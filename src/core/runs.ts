/** Runs: start them on their CI provider, follow their events, record deployments, notify. */

import { UserError } from './errors.ts';
import type { Notifier } from './notify/notifier.ts';
import type { Logger } from './outbox.ts';
import type { PipelineEvent, RunKind } from './pipeline-events.ts';
import type { CiProvider, Clock } from './ports.ts';
import type { AuditStore, DeploymentStore, RunAction, RunRecord, RunStore } from './store.ts';

/** What a command asks to run. */
export interface StartRun {
  kind: RunKind;
  pipeline: string;
  ref: string;
  environment?: string;
  version?: string;
  suite?: string;
  requestedBy: string;
  source: { platform: string; channel: string };
  /** For a rollback: the deployment it restores. */
  restoresId?: number;
}

export interface RunServiceOptions {
  runs: RunStore;
  deployments: DeploymentStore;
  audit: AuditStore;
  notifier: Notifier;
  /** The provider that runs each pipeline. */
  providerFor(pipeline: string): CiProvider | undefined;
  clock: Clock;
  logger: Logger;
}

export class RunService {
  /** Events are applied one at a time per run, in arrival order. */
  private readonly chains = new Map<number, Promise<void>>();
  private readonly warned = new Set<string>();

  constructor(private readonly o: RunServiceOptions) {}

  async start(request: StartRun): Promise<RunRecord> {
    const provider = this.o.providerFor(request.pipeline);
    if (!provider) throw new UserError(`Pipeline \`${request.pipeline}\` has no CI provider configured.`);
    const params: Record<string, string> = { requested_by: request.requestedBy };
    if (request.kind === 'deploy' || request.kind === 'rollback')
      params.version = request.version ?? request.ref;
    else params.branch = request.ref;
    if (request.environment) params.environment = request.environment;
    if (request.suite) params.suite = request.suite;
    const now = this.o.clock.now();
    const run = await this.o.runs.create({ ...request, provider: provider.name, params }, now);
    if (request.environment) {
      await this.o.deployments.create(
        {
          environment: request.environment,
          version: request.version ?? request.ref,
          runId: run.id,
          kind: request.kind === 'rollback' ? 'rollback' : 'deploy',
          restoresId: request.restoresId,
          requestedBy: request.requestedBy,
        },
        now,
      );
    }
    await this.o.notifier.runCreated(run);
    provider
      .trigger({ runId: run.id, kind: run.kind, pipeline: run.pipeline, ref: run.ref, params })
      .catch((error: unknown) => {
        const reason = `${provider.name} could not start it: ${error instanceof Error ? error.message : String(error)}`;
        return this.handle({
          type: 'run.finished',
          runId: run.id,
          at: this.o.clock.now(),
          status: 'failed',
          reason,
          durationMs: 0,
        });
      });
    return run;
  }

  get(id: number): Promise<RunRecord | undefined> {
    return this.o.runs.get(id);
  }

  recent(limit: number): Promise<RunRecord[]> {
    return this.o.runs.recent(limit);
  }

  /** Asks the provider to cancel; the final state arrives as an event. */
  async cancel(id: number): Promise<boolean> {
    const run = await this.o.runs.get(id);
    if (!run || (run.status !== 'queued' && run.status !== 'running')) return false;
    return (await this.o.providerFor(run.pipeline)?.cancel(id)) ?? false;
  }

  /** Applies a provider's event; safe to call concurrently. */
  handle(event: PipelineEvent): Promise<void> {
    return this.serial(event.runId, () => this.apply(event), event.type);
  }

  /**
   * A run's message could not be delivered somewhere (e.g. the bot is not in that channel):
   * tell the channel the command came from, once per run and channel.
   */
  async deliveryFailed(
    item: { platform: string; channel: string; key?: string; threadKey?: string },
    reason: string,
  ) {
    const id = /^(?:run|reply):(\d+)$/.exec(item.key ?? item.threadKey ?? '')?.[1];
    const run = id ? await this.o.runs.get(Number(id)) : undefined;
    if (!run) return;
    const { platform, channel } = run.source;
    const where = `${item.platform}\u0000${item.channel}`;
    if (
      (platform === item.platform && channel === item.channel) ||
      this.warned.has(`${run.id}\u0000${where}`)
    )
      return;
    this.warned.add(`${run.id}\u0000${where}`);
    const text = `I could not post updates of run #${run.id} to ${item.channel}: ${reason}`;
    await this.o.notifier.notice(run.source, { status: 'warning', text });
  }

  /** Records a button click on a run (shown on its message; its button disappears). */
  recordAction(runId: number, action: RunAction): Promise<void> {
    return this.serial(
      runId,
      async () => {
        const run = await this.o.runs.get(runId);
        if (!run) return;
        run.actions = [...run.actions, action];
        await this.o.runs.save(run);
        await this.o.notifier.runChanged(run);
      },
      `action ${action.verb}`,
    );
  }

  /** Work on one run happens one piece at a time, in arrival order. */
  private serial(runId: number, work: () => Promise<void>, what: string): Promise<void> {
    const previous = this.chains.get(runId) ?? Promise.resolve();
    const next = previous
      .then(work)
      .catch((error: unknown) => this.o.logger.error({ err: error, runId, what }, 'run update failed'));
    this.chains.set(runId, next);
    void next.finally(() => {
      if (this.chains.get(runId) === next) this.chains.delete(runId);
    });
    return next;
  }

  /** Runs left running by a previous process whose provider cannot resume them are marked failed. */
  async recoverInterrupted(canResume: (run: RunRecord) => boolean): Promise<number> {
    let count = 0;
    for (const run of await this.o.runs.unfinished()) {
      if (canResume(run)) continue;
      count++;
      const started = run.startedAt ?? run.createdAt;
      await this.handle({
        type: 'run.finished',
        runId: run.id,
        at: this.o.clock.now(),
        status: 'failed',
        reason: 'Interrupted: deckhand restarted while this run was in progress. Run it again.',
        durationMs: Math.max(0, this.o.clock.now().getTime() - started.getTime()),
      });
    }
    return count;
  }

  private async apply(event: PipelineEvent): Promise<void> {
    const run = await this.o.runs.get(event.runId);
    if (!run) {
      this.o.logger.warn({ runId: event.runId, type: event.type }, 'event for an unknown run ignored');
      return;
    }
    if (run.status !== 'queued' && run.status !== 'running') return; // already final
    switch (event.type) {
      case 'run.started':
        run.status = 'running';
        run.startedAt = event.at;
        if (event.commit) run.commit = event.commit;
        run.steps = event.steps.map((name, index) => ({ index, name, status: 'queued' }));
        await this.o.runs.save(run);
        await this.o.notifier.runChanged(run);
        return;
      case 'step.started':
      case 'step.finished':
        run.status = 'running';
        run.steps[event.step.index] = event.step;
        await this.o.runs.save(run);
        if (event.type === 'step.finished') await this.o.notifier.stepFinished(run, event.step);
        else await this.o.notifier.runChanged(run);
        return;
      case 'run.finished':
        run.status = event.status;
        run.reason = event.reason;
        run.finishedAt = event.at;
        run.durationMs = event.durationMs;
        if (event.commit) run.commit = event.commit;
        if (event.tests) run.tests = event.tests;
        for (const step of run.steps)
          if (step.status === 'queued' || step.status === 'running') step.status = 'cancelled';
        await this.o.runs.save(run);
        if (run.environment) await this.o.deployments.finish(run.id, event.status, run.commit?.sha, event.at);
        await this.o.audit.append({
          at: event.at,
          kind: 'run.finished',
          actor: run.requestedBy,
          decision: 'recorded',
          outcome: `${run.kind} #${run.id} ${event.status}${event.reason ? `: ${event.reason}` : ''}`,
          runId: run.id,
        });
        await this.o.notifier.runFinished(run);
        return;
    }
  }
}
