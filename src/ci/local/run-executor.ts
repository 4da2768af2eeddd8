/** Executes one run end to end: fetch, checkout, steps, JUnit, events, cleanup. */

import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { LoadedConfig } from '../../config/load.ts';
import { formatDuration } from '../../core/format.ts';
import type { CommitInfo, PipelineEvent, TestSummary } from '../../core/pipeline-events.ts';
import type { RunSpec } from '../../core/ports.ts';
import type { Redactor } from '../../core/redact.ts';
import type { Scan } from '../../core/security/findings.ts';
import { collectJunit } from './junit.ts';
import type { MirrorStore } from './mirrors.ts';
import { refProblem, resolveRef } from './refs.ts';
import { runStep, stepLogPath } from './run-step.ts';
import { collectSarif } from './sarif.ts';
import { stepEnv } from './step-env.ts';
import { prepareWorkspace, readCommit, removeWorkspace } from './workspace.ts';

/** Where the runner's messages go. */
export interface RunnerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface RunContext {
  spec: RunSpec;
  config: LoadedConfig;
  mirrors: MirrorStore;
  /** Aborted on cancel or shutdown. */
  signal: AbortSignal;
  /** Delivers an event; never throws. */
  emit(event: PipelineEvent): Promise<void>;
  logger: RunnerLogger;
  /** Step logs pass it before they are written. */
  redactor?: Pick<Redactor, 'redact' | 'secrets'>;
  /** Where the findings of the pipeline's `sarif:` logs go, before the run is reported finished. */
  onScan?: (scan: Scan) => Promise<void>;
}

type FinalStatus = 'succeeded' | 'failed' | 'cancelled';

interface Outcome {
  status: FinalStatus;
  reason?: string;
  commit?: CommitInfo;
  tests?: TestSummary;
}

const firstLine = (error: unknown) => String((error as Error)?.message ?? error).split('\n')[0] ?? '';

/** Runs `ctx.spec` and emits its events in order; always ends with exactly one run.finished. */
export async function executeRun(ctx: RunContext): Promise<void> {
  const started = Date.now();
  let outcome: Outcome;
  try {
    outcome = await attempt(ctx);
  } catch (error) {
    ctx.logger.warn({ runId: ctx.spec.runId, err: firstLine(error) }, 'local run failed unexpectedly');
    outcome = { status: 'failed', reason: `The local runner failed: ${firstLine(error)}.` };
  }
  const event: PipelineEvent = {
    type: 'run.finished',
    runId: ctx.spec.runId,
    at: new Date(),
    status: outcome.status,
    durationMs: Date.now() - started,
  };
  if (outcome.reason) event.reason = outcome.reason;
  if (outcome.commit) event.commit = outcome.commit;
  if (outcome.tests) event.tests = outcome.tests;
  await ctx.emit(event);
}

async function attempt(ctx: RunContext): Promise<Outcome> {
  const { spec, config, signal } = ctx;
  const cancelled: Outcome = { status: 'cancelled', reason: 'Cancelled.' };
  const pipeline = config.pipelines[spec.pipeline];
  if (!pipeline) return { status: 'failed', reason: `Unknown pipeline '${spec.pipeline}'.` };
  const problem = refProblem(spec.ref);
  if (problem)
    return { status: 'failed', reason: `Could not check out '${spec.ref}': not a valid ref (${problem}).` };
  if (signal.aborted) return cancelled;
  let mirror: string;
  try {
    mirror = await ctx.mirrors.update(pipeline.repository, 0);
  } catch (error) {
    return {
      status: 'failed',
      reason: `Could not update repository '${pipeline.repository}': ${firstLine(error)}.`,
    };
  }
  const sha = await resolveRef(mirror, spec.ref);
  if (!sha)
    return { status: 'failed', reason: `Could not check out '${spec.ref}': no such branch, tag or commit.` };
  if (signal.aborted) return cancelled;
  const workspace = path.join(config.paths.workspaces, `run-${spec.runId}`);
  try {
    try {
      await prepareWorkspace(mirror, workspace, sha);
    } catch (error) {
      return { status: 'failed', reason: `Could not check out '${spec.ref}': ${firstLine(error)}.` };
    }
    const commit = await readCommit(workspace);
    if (signal.aborted) return { ...cancelled, commit };
    await ctx.emit({
      type: 'run.started',
      runId: spec.runId,
      at: new Date(),
      commit,
      steps: pipeline.steps.map((s) => s.name),
    });
    const logDir = path.join(config.paths.dataDir, 'logs', `run-${spec.runId}`);
    await rm(logDir, { recursive: true, force: true });
    const env = stepEnv({ spec, commit: sha, dataDir: config.paths.dataDir, pipelineEnv: pipeline.env });
    const deadline = Date.now() + pipeline.timeout;
    let outcome: Outcome = { status: 'succeeded', commit };
    for (const [index, step] of pipeline.steps.entries()) {
      if (signal.aborted) {
        outcome = { ...cancelled, commit };
        break;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        outcome = {
          status: 'failed',
          reason: `Timed out after ${formatDuration(pipeline.timeout)}.`,
          commit,
        };
        break;
      }
      const at = new Date();
      await ctx.emit({
        type: 'step.started',
        runId: spec.runId,
        at,
        step: { index, name: step.name, status: 'running' },
      });
      const result = await runStep({
        step,
        index,
        logFile: stepLogPath(config.paths.dataDir, spec.runId, index, step.name),
        logLimit: config.runner.logLimit,
        redactor: ctx.redactor,
        cwd: workspace,
        env,
        pipelineRemainingMs: remaining,
        pipelineTimeoutMs: pipeline.timeout,
        signal,
      });
      await ctx.emit({ type: 'step.finished', runId: spec.runId, at: new Date(), step: result.step });
      if (result.reason) {
        const status = result.step.status === 'cancelled' ? 'cancelled' : 'failed';
        outcome = { status, reason: result.reason, commit };
        break;
      }
    }
    const tests = await collectJunit(workspace, pipeline.junit, {
      warn: (obj, msg) => ctx.logger.warn({ runId: spec.runId, ...obj }, msg),
    });
    const warn = (obj: object, msg?: string) => ctx.logger.warn({ runId: spec.runId, ...obj }, msg);
    const findings = ctx.onScan ? await collectSarif(workspace, pipeline.sarif, { warn }) : undefined;
    if (findings && ctx.onScan) {
      const origin = `run #${spec.runId} (${spec.pipeline} on ${spec.ref})`;
      await ctx
        .onScan({ repository: pipeline.repository, origin, findings })
        .catch((error) => warn({ err: firstLine(error) }, 'could not record the run’s SARIF findings'));
    }
    return tests ? { ...outcome, tests } : outcome;
  } finally {
    if (!config.runner.keepWorkspaces) {
      await removeWorkspace(workspace).catch((error) =>
        ctx.logger.warn({ runId: spec.runId, err: firstLine(error) }, 'could not remove workspace'),
      );
    }
  }
}
