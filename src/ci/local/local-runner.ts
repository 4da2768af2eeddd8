/** The local CI provider: runs configured pipelines on this machine with a FIFO queue. */

import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { LoadedConfig } from '../../config/load.ts';
import { ProviderError } from '../../core/errors.ts';
import type { PipelineEvent } from '../../core/pipeline-events.ts';
import type { CiProvider, PipelineEventSink, RunSpec } from '../../core/ports.ts';
import type { Redactor } from '../../core/redact.ts';
import { compareCommits } from './compare.ts';
import { MirrorStore } from './mirrors.ts';
import { branchNames, refProblem, resolveRef } from './refs.ts';
import { executeRun, type RunContext, type RunnerLogger } from './run-executor.ts';

/** What the local runner needs: the config, where events go, and optionally a logger. */
export interface LocalRunnerOptions {
  config: LoadedConfig;
  emit: PipelineEventSink;
  logger?: RunnerLogger;
  /** Step logs pass it before they are written. */
  redactor?: Pick<Redactor, 'redact' | 'secrets'>;
  /** Where the findings of pipelines' `sarif:` logs go when a run ends. */
  onScan?: RunContext['onScan'];
}

/** The local runner: a CiProvider that also exposes step logs and its active runs. */
export interface LocalRunner extends CiProvider {
  readonly name: 'local';
  /** Absolute path of a step's log (running or finished), or undefined. */
  logFile(runId: number, stepIndex: number): string | undefined;
  /** Ids of runs queued or running. */
  active(): number[];
}

/** How old a mirror may be when answering branch and ref questions. */
const lookupMaxAgeMs = 5000;

const firstLine = (error: unknown) =>
  (String((error as Error)?.message ?? error).split('\n')[0] ?? '').replace(/[.\s]+$/, '');

const silent: RunnerLogger = { info: () => undefined, warn: () => undefined };

/** Creates the local runner; it runs at most `config.runner.concurrency` runs at once. */
export function createLocalRunner(options: LocalRunnerOptions): LocalRunner {
  const { config } = options;
  const logger = options.logger ?? silent;
  const mirrors = new MirrorStore(path.join(config.paths.dataDir, 'mirrors'), config.repositories);
  const queue: RunSpec[] = [];
  const running = new Map<number, { controller: AbortController; done: Promise<void> }>();
  let closed = false;

  const emit = async (event: PipelineEvent): Promise<void> => {
    if (closed) return;
    try {
      await options.emit(event);
    } catch (error) {
      logger.warn(
        { runId: event.runId, event: event.type, err: String(error) },
        'pipeline event sink failed',
      );
    }
  };

  const pump = (): void => {
    while (!closed && running.size < config.runner.concurrency && queue.length > 0) {
      const spec = queue.shift() as RunSpec;
      const controller = new AbortController();
      logger.info({ runId: spec.runId, pipeline: spec.pipeline, ref: spec.ref }, 'local run starting');
      const done = executeRun({
        spec,
        config,
        mirrors,
        signal: controller.signal,
        emit,
        logger,
        redactor: options.redactor,
        onScan: options.onScan,
      })
        .catch((error) => logger.warn({ runId: spec.runId, err: String(error) }, 'local run crashed'))
        .finally(() => {
          running.delete(spec.runId);
          pump();
        });
      running.set(spec.runId, { controller, done });
    }
  };

  const repositoryOf = (pipelineName: string) => {
    const pipeline = config.pipelines[pipelineName];
    const repository = pipeline && config.repositories[pipeline.repository];
    if (!pipeline || !repository) throw new Error(`unknown pipeline "${pipelineName}"`);
    return { name: pipeline.repository, repository };
  };

  return {
    name: 'local',

    async trigger(spec) {
      if (closed) throw new Error('the local runner is shutting down');
      if (running.has(spec.runId) || queue.some((q) => q.runId === spec.runId)) {
        throw new Error(`run ${spec.runId} is already active`);
      }
      queue.push({ ...spec, params: { ...spec.params } });
      pump();
      return undefined;
    },

    async cancel(runId) {
      const queued = queue.findIndex((q) => q.runId === runId);
      if (queued >= 0) {
        queue.splice(queued, 1);
        await emit({
          type: 'run.finished',
          runId,
          at: new Date(),
          status: 'cancelled',
          reason: 'Cancelled.',
          durationMs: 0,
        });
        return true;
      }
      const entry = running.get(runId);
      if (!entry || entry.controller.signal.aborted) return false;
      entry.controller.abort();
      return true;
    },

    async listBranches(pipelineName) {
      const { name, repository } = repositoryOf(pipelineName);
      const dir = await mirrors.update(name, lookupMaxAgeMs);
      return branchNames(dir, repository.defaultBranch);
    },

    async hasRef(pipelineName, ref) {
      const { name } = repositoryOf(pipelineName);
      if (refProblem(ref) !== undefined) return false;
      const dir = await mirrors.update(name, lookupMaxAgeMs);
      return (await resolveRef(dir, ref)) !== undefined;
    },

    async compare(pipelineName, from, to) {
      const { name } = repositoryOf(pipelineName);
      // Refs come from chat: anything git could read as an option never reaches git.
      if (refProblem(from) !== undefined || refProblem(to) !== undefined) return undefined;
      const mirror = async (maxAgeMs: number) => {
        try {
          return await mirrors.update(name, maxAgeMs);
        } catch (error) {
          throw new ProviderError(`Could not update repository '${name}': ${firstLine(error)}.`);
        }
      };
      let dir = await mirror(lookupMaxAgeMs);
      let shas = await Promise.all([resolveRef(dir, from), resolveRef(dir, to)]);
      // A ref pushed moments ago (a new tag) is missing from a recent mirror: fetch once more.
      if (shas.includes(undefined)) {
        dir = await mirror(0);
        shas = await Promise.all([resolveRef(dir, from), resolveRef(dir, to)]);
      }
      const [fromSha, toSha] = shas;
      if (!fromSha || !toSha) return undefined;
      try {
        return await compareCommits(dir, fromSha, toSha);
      } catch (error) {
        throw new ProviderError(
          `Could not list the commits from '${from}' to '${to}' in repository '${name}': ${firstLine(error)}.`,
        );
      }
    },

    async close() {
      closed = true;
      queue.length = 0;
      const entries = [...running.values()];
      for (const entry of entries) entry.controller.abort();
      await Promise.all(entries.map((entry) => entry.done));
    },

    logFile(runId, stepIndex) {
      if (!Number.isSafeInteger(runId) || !Number.isSafeInteger(stepIndex) || stepIndex < 0) return undefined;
      const dir = path.join(config.paths.dataDir, 'logs', `run-${runId}`);
      try {
        const name = readdirSync(dir).find((f) => f.startsWith(`${stepIndex}-`) && f.endsWith('.log'));
        return name ? path.join(dir, name) : undefined;
      } catch {
        return undefined;
      }
    },

    active() {
      return [...running.keys(), ...queue.map((q) => q.runId)];
    },
  };
}
