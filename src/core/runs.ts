/** Runs: start them on their CI provider, follow their events, record deployments, notify. */

import { UserError } from './errors.ts';
import type { Notifier } from './notify/notifier.ts';
import type { Logger } from './outbox.ts';
import type { PipelineEvent, RunKind, StepInfo } from './pipeline-events.ts';
import type { CiProvider, Clock, TriggerResult } from './ports.ts';
import type { Redactor } from './redact.ts';
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
  /** What asks for it (an intake record, a held request): asking again returns the same run. */
  origin?: string;
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
  /** Masks secrets in log excerpts. */
  redactor?: Redactor;
}

/** How much of a failed job's log goes into chat. */
const tailLines = 25;
const tailChars = 2500;

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
    const { created, ...run } = await this.o.runs.create(
      { ...request, provider: provider.name, params },
      now,
    );
    // Started before a crash by the same request: nothing is started twice.
    if (created === false) return run;
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
    let result: TriggerResult | undefined;
    try {
      result = await provider.trigger({
        runId: run.id,
        kind: run.kind,
        pipeline: run.pipeline,
        ref: run.ref,
        params,
      });
    } catch (error) {
      // The CI system refused or is unreachable: the run fails, and the requester hears why.
      const reason =
        error instanceof UserError
          ? error.message
          : `${provider.name} could not start it: ${error instanceof Error ? error.message : String(error)}`;
      const at = this.o.clock.now();
      await this.handle({ type: 'run.finished', runId: run.id, at, status: 'failed', reason, durationMs: 0 });
      throw new UserError(reason);
    }
    if (result?.externalId || result?.url) {
      await this.serial(
        run.id,
        async () => {
          const fresh = await this.o.runs.get(run.id);
          if (!fresh) return;
          fresh.externalId = result.externalId ?? fresh.externalId;
          fresh.url = result.url ?? fresh.url;
          await this.o.runs.save(fresh);
          // The card links to the CI system's page from now on.
          if (result.url) await this.o.notifier.runChanged(fresh);
        },
        'external id',
      );
      run.externalId = result.externalId;
      run.url = result.url;
    }
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
    return (await this.o.providerFor(run.pipeline)?.cancel(id, run.externalId)) ?? false;
  }

  /** Applies a provider's event; safe to call concurrently. */
  handle(event: PipelineEvent): Promise<void> {
    return this.serial(event.runId, () => this.apply(event), event.type);
  }

  /**
   * Runs `work` in the run's queue; `work` returns the events to apply, computed from the run's
   * current state (so concurrent webhook deliveries cannot interleave).
   */
  update(runId: number, work: (run: RunRecord) => Promise<PipelineEvent[]>, what: string): Promise<void> {
    return this.serial(
      runId,
      async () => {
        const run = await this.o.runs.get(runId);
        if (!run) return;
        for (const event of await work(run)) await this.apply(event);
      },
      what,
    );
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

  /** The last lines of the failed job's log, into the run's thread, redacted and bounded. */
  private async failureDetails(run: RunRecord): Promise<void> {
    const provider = this.o.providerFor(run.pipeline);
    if (!provider?.logTail || !run.externalId) return;
    const failed = run.steps.find((s) => s.status === 'failed');
    try {
      const tail = await provider.logTail(run.id, run.externalId, failed?.name);
      if (!tail?.text) return;
      const lines = tail.text.split('\n').slice(-tailLines).join('\n').slice(-tailChars);
      const text = this.o.redactor?.redact(lines) ?? lines;
      await this.o.notifier.thread(run, {
        status: 'failed',
        header: `Last lines of ${failed ? `\`${failed.name}\`` : 'the log'}`,
        text: `\`\`\`\n${text}\n\`\`\``,
        link: tail.url ? { label: 'Full log', url: tail.url } : undefined,
      });
    } catch (error) {
      this.o.logger.warn({ runId: run.id, err: (error as Error).message }, 'could not fetch the failed log');
    }
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
        placeStep(run, event.step);
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
        if (run.status === 'failed') await this.failureDetails(run);
        return;
    }
  }
}

/** Puts a step in its place: by index when the name agrees, else by name, else at the end. */
function placeStep(run: RunRecord, step: StepInfo): void {
  const byIndex = run.steps[step.index];
  const at =
    !byIndex || byIndex.name === step.name ? step.index : run.steps.findIndex((s) => s.name === step.name);
  if (at === -1) run.steps.push({ ...step, index: run.steps.length });
  else run.steps[at] = { ...step, index: at };
}
