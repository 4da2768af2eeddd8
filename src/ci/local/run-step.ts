/** Runs one pipeline step: spawns it, captures a bounded log, and reports the outcome. */

import path from 'node:path';
import type { StepConfig } from '../../config/schema.ts';
import { formatDuration } from '../../core/format.ts';
import type { StepInfo } from '../../core/pipeline-events.ts';
import type { Redactor } from '../../core/redact.ts';
import { RedactingStream } from '../../core/redact-stream.ts';
import { BoundedLog } from './bounded-log.ts';
import { TailBuffer } from './log-tail.ts';
import { runStepProcess } from './step-process.ts';

/** A file-name-safe form of a step name. */
export function stepSlug(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return slug || 'step';
}

/** Where a step's log lives. */
export function stepLogPath(dataDir: string, runId: number, index: number, name: string): string {
  return path.join(dataDir, 'logs', `run-${runId}`, `${index}-${stepSlug(name)}.log`);
}

export interface StepRunInput {
  step: StepConfig;
  index: number;
  logFile: string;
  logLimit: number;
  /** What the log file gets passes it first (a secret split across two chunks included). */
  redactor?: Pick<Redactor, 'redact' | 'secrets'>;
  cwd: string;
  env: Record<string, string>;
  /** Time left before the pipeline's own timeout. */
  pipelineRemainingMs: number;
  pipelineTimeoutMs: number;
  signal: AbortSignal;
}

export interface StepRunResult {
  step: StepInfo;
  /** Why the run should stop here; undefined when the step succeeded. */
  reason?: string;
}

/** Largest delay setTimeout accepts. */
const maxTimer = 2_147_483_647;

/** Runs the step to completion (or timeout or cancellation) and returns its final StepInfo. */
export async function runStep(input: StepRunInput): Promise<StepRunResult> {
  const { step, index } = input;
  const started = Date.now();
  const log = new BoundedLog(input.logFile, input.logLimit);
  const scrub = input.redactor ? new RedactingStream(input.redactor) : undefined;
  const keep = (text: string) => {
    if (text) log.write(Buffer.from(text));
  };
  const tail = new TailBuffer(8 * 1024);
  const stepLimit = step.timeout ?? Number.POSITIVE_INFINITY;
  const pipelineBound = input.pipelineRemainingMs < stepLimit;
  const result = await runStepProcess({
    command: step.run,
    cwd: input.cwd,
    env: input.env,
    timeoutMs: Math.min(maxTimer, stepLimit, input.pipelineRemainingMs),
    signal: input.signal,
    onOutput: (chunk) => {
      if (scrub) keep(scrub.push(chunk));
      else log.write(chunk);
      tail.push(chunk);
    },
  });
  if (scrub) keep(scrub.end());
  if (result.spawnError)
    keep(input.redactor ? input.redactor.redact(`${result.spawnError}\n`) : `${result.spawnError}\n`);
  await log.close();
  const info: StepInfo = {
    index,
    name: step.name,
    status: 'succeeded',
    exitCode: result.exitCode,
    durationMs: Date.now() - started,
    logTail: tail.lines(20, 2000),
  };
  let reason: string | undefined;
  if (result.cancelled) {
    info.status = 'cancelled';
    reason = 'Cancelled.';
  } else if (result.timedOut) {
    info.status = 'failed';
    reason = pipelineBound
      ? `Timed out after ${formatDuration(input.pipelineTimeoutMs)}.`
      : `Step '${step.name}' timed out after ${formatDuration(stepLimit)}.`;
  } else if (result.spawnError) {
    info.status = 'failed';
    reason = `Step '${step.name}' could not start: ${result.spawnError}.`;
  } else if (result.exitCode !== 0) {
    info.status = 'failed';
    reason =
      result.exitCode === null
        ? `Step '${step.name}' was killed by ${result.signal ?? 'a signal'}.`
        : `Step '${step.name}' exited with code ${result.exitCode}.`;
  }
  return reason ? { step: info, reason } : { step: info };
}
