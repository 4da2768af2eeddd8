/**
 * Runs `/ops` runbooks: records the execution, then each check, step and undo before it starts,
 * edits one card in place as they progress, posts each one's detail in its thread and audits it.
 * A restart never runs a recorded step again: what a crash interrupted is marked so, and said.
 */
import type { RunbookAction, RunbookConfig, RunbooksConfig } from '../../config/runbooks.ts';
import type { Invocation, Outcome } from '../commands/types.ts';
import { UserError } from '../errors.ts';
import type { Logger, Outbox } from '../outbox.ts';
import type { Clock } from '../ports.ts';
import type { Redactor } from '../redact.ts';
import type { RunService } from '../runs.ts';
import type { AuditStore, NewOutboxItem } from '../store.ts';
import { fullLog, runbookCard, runbookKey, stepDetail } from './messages.ts';
import { type ActionResult, runAction } from './steps.ts';
import type { Execution, ExecutionStatus, ExecutionStep, RunbookStore, StepPhase } from './store-port.ts';

export interface RunbookServiceOptions {
  runbooks: RunbooksConfig;
  store: RunbookStore;
  outbox: Pick<Outbox, 'enqueue'>;
  audit: Pick<AuditStore, 'append'>;
  runs: Pick<RunService, 'start' | 'get'>;
  /** The branch a pipeline runs on by default, and how long it may take. */
  pipelines: { defaultBranch(pipeline: string): string; timeout(pipeline: string): number };
  mention(personId: string): string;
  /** The link to an execution's full log. */
  logUrl(id: number): string;
  runLogUrl(runId: number): string;
  clock: Clock;
  logger: Logger;
  /** Masks secrets in output before it is kept or shown (the outbox and audit mask again). */
  redactor?: Redactor;
  fetch?: typeof fetch;
  /** How often a pipeline step reads its run's state (default 1 s). */
  pollMs?: number;
}

/** The audit entry's `command`: incidents list runbooks run in an environment from it. */
const auditCommand = (e: Execution) => ({ family: 'ops', command: e.runbook, args: e.args });

export class RunbookService {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly o: RunbookServiceOptions) {}

  /** The configured runbook, or a UserError naming the ones there are. */
  runbook(name: string): RunbookConfig {
    const found = this.o.runbooks[name];
    if (!found) throw new UserError(`There is no runbook \`${name}\`. Try \`/ops help\`.`);
    return found;
  }

  /**
   * Records an execution and starts it in the background; the outcome is its card, posted under
   * its key. Asked again for the same origin (a replay), it shows that execution and starts nothing.
   */
  async start(name: string, args: Execution['args'], who: Invocation): Promise<Outcome> {
    const runbook = this.runbook(name);
    const e = await this.o.store.create(
      {
        runbook: name,
        args,
        requestedBy: who.person.id,
        platform: who.platform,
        channel: who.channel,
        origin: who.origin,
      },
      this.o.clock.now(),
    );
    const message = await this.card(e, runbook);
    if (e.created) this.track(this.execute(e, runbook));
    return { message, key: runbookKey(e.id) };
  }

  /** Resolves once every execution started so far has ended (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** The full log of an execution, redacted, or undefined when there is none. */
  async log(id: number): Promise<string | undefined> {
    const e = await this.o.store.get(id);
    return e && fullLog(e, await this.o.store.steps(id));
  }

  /**
   * At start: executions a crash interrupted are marked interrupted, never run again; the card says
   * what ran, what may have been half done, and that nothing was undone.
   */
  async recover(): Promise<number> {
    const open = await this.o.store.running();
    for (const e of open) {
      const now = this.o.clock.now();
      const steps = await this.o.store.steps(e.id);
      for (const s of steps.filter((x) => x.status === 'running'))
        await this.o.store.stepFinished(
          e.id,
          s.seq,
          { status: 'interrupted', summary: 'interrupted by a restart; it may have run in part', log: s.log },
          now,
        );
      await this.o.store.finish(e.id, 'interrupted', now);
      const done = steps.filter((s) => s.phase === 'step' && s.status === 'succeeded');
      const half = steps.filter((s) => s.status === 'running');
      const note = [
        '⚠️ Interrupted by a restart: nothing was run again and nothing was undone.',
        done.length
          ? `Completed: ${done.map((s) => `${s.index + 1}. ${s.name}`).join(', ')}.`
          : 'No step had completed.',
        half.length
          ? `In progress (check by hand): ${half.map((s) => `${s.index + 1}. ${s.name}`).join(', ')}.`
          : '',
        done.length ? 'Undo what is needed by hand.' : '',
      ]
        .filter(Boolean)
        .join(' ');
      const fresh = { ...e, status: 'interrupted' as const };
      const runbook = this.o.runbooks[e.runbook];
      await this.o.outbox.enqueue([this.update(fresh, await this.card(fresh, runbook, note))]);
      await this.audit(fresh, 'runbook.interrupted', note);
    }
    return open.length;
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((err: unknown) => {
      this.o.logger.error({ err }, 'runbook execution failed');
    });
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }

  private async execute(e: Execution, runbook: RunbookConfig): Promise<void> {
    // The command's reply (the card, under its key) is queued first, in this turn; updates follow.
    await new Promise((resolve) => setImmediate(resolve));
    let seq = 0;
    const done: number[] = [];
    const run = async (index: number, phase: StepPhase, action: RunbookAction) =>
      this.action(e, runbook, { seq: seq++, index, phase, name: runbook.steps[index]?.name ?? '' }, action);
    let failed: { index: number; why: string } | undefined;
    for (const [index, step] of runbook.steps.entries()) {
      if (step.check) {
        const checked = await run(index, 'check', step.check);
        if (!checked.ok) {
          failed = { index, why: `the check before ${index + 1}. ${step.name} failed (${checked.summary})` };
          break;
        }
      }
      const result = await run(index, 'step', step);
      if (!result.ok) {
        failed = { index, why: `${index + 1}. ${step.name} failed (${result.summary})` };
        break;
      }
      done.push(index);
    }
    let status: ExecutionStatus = 'succeeded';
    let note: string | undefined;
    if (failed) {
      status = 'failed';
      // What already ran is undone, the latest first.
      const undone: string[] = [];
      const notUndone: string[] = [];
      for (const index of [...done].reverse()) {
        const undo = runbook.steps[index]?.undo;
        if (!undo) continue;
        const result = await run(index, 'undo', undo);
        (result.ok ? undone : notUndone).push(`${index + 1}. ${runbook.steps[index]?.name}`);
      }
      note = [
        `Stopped: ${failed.why}.`,
        undone.length ? `Undone: ${undone.join(', ')}.` : '',
        notUndone.length ? `Undo failed for ${notUndone.join(', ')}: check by hand.` : '',
      ]
        .filter(Boolean)
        .join(' ');
    }
    await this.o.store.finish(e.id, status, this.o.clock.now());
    const final = { ...e, status };
    await this.o.outbox.enqueue([this.update(final, await this.card(final, runbook, note))]);
    await this.audit(final, 'runbook.finished', note ?? 'succeeded');
  }

  private async action(
    e: Execution,
    runbook: RunbookConfig,
    step: Pick<ExecutionStep, 'seq' | 'index' | 'phase' | 'name'>,
    action: RunbookAction,
  ): Promise<ActionResult> {
    // Recorded before it starts: after a crash it is found, and never started again.
    const startedAt = this.o.clock.now();
    await this.o.store.stepStarted(e.id, step, startedAt);
    await this.o.outbox.enqueue([this.update(e, await this.card(e, runbook))]);
    const result = await runAction(action, {
      values: e.args,
      runs: this.o.runs,
      defaultBranch: (p) => this.o.pipelines.defaultBranch(p),
      pipelineTimeout: (p) => this.o.pipelines.timeout(p),
      runLogUrl: this.o.runLogUrl,
      requestedBy: e.requestedBy,
      source: { platform: e.platform, channel: e.channel },
      origin: `ops:${e.id}:${step.seq}`,
      fetch: this.o.fetch ?? fetch,
      pollMs: this.o.pollMs ?? 1000,
    });
    const redact = (t: string) => (this.o.redactor ? this.o.redactor.redact(t) : t);
    const finished: ExecutionStep = {
      ...step,
      status: result.ok ? 'succeeded' : 'failed',
      summary: redact(result.summary),
      log: redact(result.log),
      startedAt,
    };
    await this.o.store.stepFinished(e.id, step.seq, finished, this.o.clock.now());
    const thread: NewOutboxItem = {
      platform: e.platform,
      channel: e.channel,
      op: 'post',
      threadKey: runbookKey(e.id),
      message: stepDetail(finished),
    };
    await this.o.outbox.enqueue([this.update(e, await this.card(e, runbook)), thread]);
    const label = step.phase === 'step' ? '' : ` (${step.phase})`;
    await this.audit(
      e,
      'runbook.step',
      `${step.index + 1}. ${step.name}${label}: ${finished.status} — ${finished.summary}`,
    );
    return result;
  }

  private async card(e: Execution, runbook: RunbookConfig | undefined, note?: string) {
    return runbookCard({
      execution: e,
      steps: await this.o.store.steps(e.id),
      planned: runbook?.steps.map((s) => s.name) ?? [],
      mention: this.o.mention,
      logUrl: this.o.logUrl(e.id),
      note,
    });
  }

  private update(e: Execution, message: NewOutboxItem['message']): NewOutboxItem {
    return { platform: e.platform, channel: e.channel, op: 'update', key: runbookKey(e.id), message };
  }

  private async audit(e: Execution, kind: string, outcome: string): Promise<void> {
    await this.o.audit.append({
      at: this.o.clock.now(),
      kind,
      actor: e.requestedBy,
      platform: e.platform,
      channel: e.channel,
      command: auditCommand(e),
      decision: 'recorded',
      outcome: outcome.slice(0, 2000),
    });
  }
}
