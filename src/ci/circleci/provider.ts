/** deckhand's CI provider port on CircleCI: start, cancel, rerun, approve, log tails, branches. */
import type { LoadedConfig } from '../../config/load.ts';
import { ProviderError } from '../../core/errors.ts';
import type { CiProvider, LogTail, RunSpec, TriggerResult } from '../../core/ports.ts';
import type { CircleciClient } from './client.ts';
import { circleciPipelineOf } from './config.ts';
import { jobFailure, plainLog } from './job-failure.ts';
import { pipelineInfo } from './match.ts';
import type { Poller } from './poller.ts';
import type { RunReader } from './run-reader.ts';
import { jobUrl, pipelineUrl } from './slug.ts';
import { current, jobStatus, workflowStatus } from './status.ts';
import { pipelineParameters, triggerTarget } from './trigger-body.ts';

export interface CircleciProviderOptions {
  config: LoadedConfig;
  client: CircleciClient;
  reader: RunReader;
  poller: Poller;
}

/** How many triggered pipelines are remembered (for cancel by run id and for matching webhooks). */
const remembered = 1000;
/** Lines of a step's output kept for the log tail (the core trims further). */
const tailLines = 200;

export class CircleciProvider implements CiProvider {
  readonly name = 'circleci';
  /** CircleCI pipeline id → the run and deckhand pipeline it was triggered for. */
  private readonly triggered = new Map<string, { runId: number; pipeline: string }>();

  constructor(private readonly o: CircleciProviderOptions) {}

  async trigger(spec: RunSpec): Promise<TriggerResult> {
    const info = this.info(spec.pipeline);
    const mapping = circleciPipelineOf(this.o.config.pipelines[spec.pipeline])?.parameters ?? {};
    const parameters = pipelineParameters(mapping, spec);
    const target = await triggerTarget(spec, () => this.listBranches(spec.pipeline));
    const body = { ...target, ...(Object.keys(parameters).length > 0 ? { parameters } : {}) };
    const created = await this.o.client.triggerPipeline(info.slug, body);
    this.triggered.set(created.id, { runId: spec.runId, pipeline: spec.pipeline });
    if (this.triggered.size > remembered) this.triggered.delete(this.triggered.keys().next().value as string);
    this.o.poller.track({ id: created.id, slug: info.slug, pipeline: spec.pipeline });
    return { externalId: created.id, url: pipelineUrl(this.o.client.apiUrl, info.slug, created.number) };
  }

  /** The deckhand pipeline a CircleCI pipeline was triggered for, while remembered. */
  triggeredFor(pipelineId: string): string | undefined {
    return this.triggered.get(pipelineId)?.pipeline;
  }

  /** Cancels every unfinished workflow of the run's pipeline. */
  async cancel(runId: number, externalId?: string): Promise<boolean> {
    const id = externalId ?? [...this.triggered].find(([, t]) => t.runId === runId)?.[0];
    if (!id) return false;
    const workflows = current((await this.o.client.pipelineWorkflows(id)).map((workflow) => ({ workflow })));
    const active = workflows.map((w) => w.workflow).filter((w) => workflowStatus(w.status) === 'running');
    for (const w of active) await this.o.client.cancelWorkflow(w.id);
    return active.length > 0;
  }

  /** Reruns the failed jobs of every failed workflow, in the same pipeline. */
  async rerun(_runId: number, externalId: string): Promise<boolean> {
    const workflows = current(
      (await this.o.client.pipelineWorkflows(externalId)).map((workflow) => ({ workflow })),
    );
    const failed = workflows.map((w) => w.workflow).filter((w) => workflowStatus(w.status) === 'failed');
    for (const w of failed) await this.o.client.rerunWorkflow(w.id);
    return failed.length > 0;
  }

  /**
   * Approves the approval job `jobName` (a `type: approval` job on hold) of a run's pipeline.
   * False when no such job is waiting.
   */
  async approve(externalId: string, jobName: string): Promise<boolean> {
    for (const { workflow, jobs } of current(await this.o.reader.views(externalId))) {
      const job = jobs.find((j) => j.name === jobName && j.type === 'approval' && j.status === 'on_hold');
      if (!job) continue;
      await this.o.client.approve(workflow.id, job.approval_request_id ?? job.id);
      return true;
    }
    return false;
  }

  /**
   * The end of a job's log (the failed one when `job` is omitted): the failed step's output when
   * API v1.1 gives it, else a line saying the log is on CircleCI, always with the job's page.
   */
  async logTail(_runId: number, externalId: string, job?: string): Promise<LogTail | undefined> {
    const pipeline = await this.o.client.pipeline(externalId);
    const slug = pipeline.project_slug ?? this.slugOf(externalId);
    if (!slug) return undefined;
    const views = current(await this.o.reader.views(externalId));
    const found =
      views
        .flatMap((v) => v.jobs.map((j) => ({ ...v, job: j })))
        .find(({ workflow, job: j }) =>
          job ? j.name === job || `${j.name} (${workflow.name})` === job : jobStatus(j.status) === 'failed',
        ) ?? undefined;
    if (!found || found.job.job_number === undefined) return undefined;
    const url = jobUrl(
      pipelineUrl(this.o.client.apiUrl, slug, pipeline.number),
      found.workflow.id,
      found.job.job_number,
    );
    const failure = await jobFailure(this.o.client, slug, found.job.job_number);
    if (failure?.outputUrl) {
      try {
        const text = plainLog(await this.o.client.stepOutput(failure.outputUrl));
        if (text.trim()) return { text: text.split('\n').slice(-tailLines).join('\n'), url };
      } catch {
        // The output link expired or the output is too large: the job's page still has it.
      }
    }
    const step = failure?.step ? `, step '${failure.step}'` : '';
    return { text: `The log of job '${found.job.name}'${step} is on CircleCI: open the full log.`, url };
  }

  /**
   * CircleCI lists no branches: the repository's default branch and the branches of the project's
   * recent pipelines stand in for them (a branch no pipeline ever ran on is not offered).
   */
  async listBranches(pipeline: string): Promise<string[]> {
    const info = this.info(pipeline);
    const recent = await this.o.client.recentPipelines(info.slug);
    const branches = [info.defaultBranch, ...recent.map((p) => p.vcs?.branch ?? '')];
    return [...new Set(branches.filter((b) => b.length > 0))];
  }

  private info(pipeline: string) {
    const info = pipelineInfo(this.o.config, pipeline);
    if (!info) {
      throw new ProviderError(
        `Pipeline ${pipeline} has no CircleCI project: set repositories.<name>.circleci (e.g. gh/org/app).`,
      );
    }
    return info;
  }

  private slugOf(externalId: string): string | undefined {
    const pipeline = this.triggered.get(externalId)?.pipeline;
    return pipeline ? pipelineInfo(this.o.config, pipeline)?.slug : undefined;
  }
}
