/** GitLab CI as a deckhand CI provider: pipelines created with variables, manual deploy jobs played. */
import type { LoadedConfig } from '../../config/load.ts';
import { ProviderError } from '../../core/errors.ts';
import type { ExternalRunSink } from '../../core/pipeline-events.ts';
import type { CiProvider, Comparison, LogTail, RunSpec, TriggerResult } from '../../core/ports.ts';
import { refNameProblem } from '../../core/refs.ts';
import type { GitlabClient, GitlabJob } from './client.ts';
import { gitlabPipelineOf, gitlabRepoOf } from './config.ts';
import { traceTail } from './log-tail.ts';
import { playWhenReady } from './play-job.ts';
import type { Triggered } from './routing.ts';
import { pipelineVariables } from './variables.ts';

export interface GitlabProviderOptions {
  config: LoadedConfig;
  client: GitlabClient;
  onUpdate: ExternalRunSink;
  logger: { warn(o: object, m?: string): void; error(o: object, m?: string): void };
  clock: { now(): Date };
  /** Polling for a deploy's manual job: first wait and longest wait between polls (ms). */
  play?: { intervalMs?: number; maxIntervalMs?: number };
}

/** Pipeline statuses with nothing left to cancel. */
const ended = new Set(['success', 'failed', 'canceled', 'skipped']);

/** Commits a comparison lists (the total counts them all). */
const COMPARE_LIMIT = 20;

/** A ref in a web path: encoded, but slashes kept as GitLab writes them (`release/1.0`). */
const pathRef = (ref: string) => encodeURIComponent(ref).replace(/%2F/g, '/');

/** Pipelines deckhand remembers having created (oldest forgotten first). */
const REMEMBERED = 1000;

const remember = <K, V>(map: Map<K, V>, key: K, value: V) => {
  map.delete(key);
  map.set(key, value);
  if (map.size > REMEMBERED) map.delete(map.keys().next().value as K);
};

export class GitlabProvider implements CiProvider {
  readonly name = 'gitlab';
  /** GitLab pipeline id → the deckhand pipeline and kind that created it. */
  private readonly created = new Map<number, Triggered>();
  /** deckhand run id → its GitLab pipeline id (the core's cancel passes no external id). */
  private readonly runs = new Map<number, number>();
  /** GitLab pipeline id → project. */
  private readonly projects = new Map<string, string>();
  /** Pipeline creations under way, by project: webhooks about them wait for these. */
  private readonly inflight = new Map<string, Set<Promise<unknown>>>();
  private readonly pollers = new Map<number, { controller: AbortController; done: Promise<void> }>();
  /** Project → its web page, for compare links. */
  private readonly webUrls = new Map<string, string>();

  constructor(private readonly o: GitlabProviderOptions) {}

  /** The GitLab client (webhooks look up deployment jobs with it). */
  get client(): GitlabClient {
    return this.o.client;
  }

  /** The project (`group/app` or id) a deckhand pipeline runs in. */
  project(pipeline: string): string {
    const p = this.o.config.pipelines[pipeline];
    const project = p ? gitlabRepoOf(this.o.config.repositories[p.repository]) : undefined;
    if (p?.provider !== 'gitlab' || !project) {
      throw new ProviderError(
        `Pipeline \`${pipeline}\` has no GitLab project: set repositories.<name>.gitlab.`,
      );
    }
    return project;
  }

  async trigger(spec: RunSpec): Promise<TriggerResult & { externalId: string }> {
    const project = this.project(spec.pipeline);
    const settings = gitlabPipelineOf(this.o.config.pipelines[spec.pipeline]);
    const variables = pipelineVariables(settings?.variables ?? {}, spec);
    const creation = (async () => {
      const pipeline = await this.o.client.createPipeline(project, spec.ref, variables);
      remember(this.created, pipeline.id, { pipeline: spec.pipeline, kind: spec.kind });
      remember(this.runs, spec.runId, pipeline.id);
      remember(this.projects, String(pipeline.id), project);
      return pipeline;
    })();
    const pending = this.inflight.get(project) ?? new Set();
    this.inflight.set(project, pending.add(creation));
    try {
      const pipeline = await creation;
      if (settings?.job) this.playLater(spec, project, pipeline.id, settings.job);
      return { externalId: String(pipeline.id), url: pipeline.web_url };
    } finally {
      pending.delete(creation);
    }
  }

  /** Plays the manual job in the background; a failure to play fails the run with the reason. */
  private playLater(spec: RunSpec, project: string, pipelineId: number, job: string): void {
    const controller = new AbortController();
    const done = playWhenReady({
      client: this.o.client,
      project,
      pipelineId,
      job,
      deadlineMs: this.o.config.pipelines[spec.pipeline]?.timeout ?? 15 * 60_000,
      intervalMs: this.o.play?.intervalMs ?? 1000,
      maxIntervalMs: this.o.play?.maxIntervalMs ?? 10_000,
      signal: controller.signal,
    })
      .then(async (result) => {
        if (result.outcome !== 'failed') return;
        this.o.logger.warn(
          { runId: spec.runId, pipelineId, job, reason: result.reason },
          'manual job not played',
        );
        await this.o.onUpdate({
          provider: this.name,
          externalId: String(pipelineId),
          pipeline: spec.pipeline,
          kind: spec.kind,
          ref: spec.ref,
          status: 'failed',
          reason: result.reason,
          at: this.o.clock.now(),
        });
      })
      .catch((err: unknown) =>
        this.o.logger.error({ err, runId: spec.runId }, 'playing the manual job failed'),
      )
      .finally(() => this.pollers.delete(spec.runId));
    this.pollers.set(spec.runId, { controller, done });
  }

  /** The deckhand pipeline that created a GitLab pipeline, when this process created it. */
  createdBy(pipelineId: number): Triggered | undefined {
    return this.created.get(pipelineId);
  }

  /** Notes which deckhand pipeline created a GitLab pipeline (recognised after a restart). */
  rememberCreated(pipelineId: number, triggered: Triggered): void {
    remember(this.created, pipelineId, triggered);
  }

  /** Waits until pipeline creations for `project` under way have answered (or failed). */
  async settled(project: string): Promise<void> {
    const pending = this.inflight.get(project);
    if (pending?.size) await Promise.allSettled([...pending]);
  }

  /** Notes which project a GitLab pipeline belongs to. */
  rememberProject(pipelineId: string, project: string): void {
    remember(this.projects, pipelineId, project);
  }

  /** The project a pipeline id belongs to: remembered, the only one configured, or asked of GitLab. */
  private async projectOf(externalId: string): Promise<string | undefined> {
    const known = this.projects.get(externalId);
    if (known) return known;
    const candidates = [
      ...new Set(
        Object.values(this.o.config.pipelines)
          .filter((p) => p.provider === 'gitlab')
          .map((p) => gitlabRepoOf(this.o.config.repositories[p.repository]))
          .filter((p): p is string => p !== undefined),
      ),
    ];
    if (candidates.length === 1) return candidates[0];
    for (const project of candidates) {
      try {
        await this.o.client.pipeline(project, Number(externalId));
        remember(this.projects, externalId, project);
        return project;
      } catch {
        // not this project's
      }
    }
    return undefined;
  }

  private pipelineId(runId: number, externalId: string | undefined): number | undefined {
    const id = externalId !== undefined ? Number(externalId) : this.runs.get(runId);
    return id !== undefined && Number.isSafeInteger(id) && id > 0 ? id : undefined;
  }

  async cancel(runId: number, externalId?: string): Promise<boolean> {
    this.pollers.get(runId)?.controller.abort();
    const id = this.pipelineId(runId, externalId);
    const project = id === undefined ? undefined : await this.projectOf(String(id));
    if (id === undefined || !project) return false;
    // GitLab answers 200 whatever the state, so ask first whether there is anything to cancel.
    // https://docs.gitlab.com/api/pipelines/#cancel-all-jobs-for-a-pipeline
    const before = await this.o.client.pipeline(project, id);
    if (ended.has(before.status)) return false;
    const after = await this.o.client.cancelPipeline(project, id);
    return after.status === 'canceled' || after.status === 'canceling';
  }

  async rerun(runId: number, externalId: string): Promise<boolean> {
    const id = this.pipelineId(runId, externalId);
    const project = id === undefined ? undefined : await this.projectOf(String(id));
    if (id === undefined || !project) return false;
    await this.o.client.retryPipeline(project, id);
    return true;
  }

  async logTail(runId: number, externalId: string, job?: string): Promise<LogTail | undefined> {
    const id = this.pipelineId(runId, externalId);
    const project = id === undefined ? undefined : await this.projectOf(String(id));
    if (id === undefined || !project) return undefined;
    const jobs = (await this.o.client.pipelineJobs(project, id)).sort((a, b) => b.id - a.id);
    const failed = (j: GitlabJob) => j.status === 'failed';
    const pick =
      (job ? jobs.find((j) => j.name === job) : undefined) ??
      jobs.find((j) => failed(j) && !j.allow_failure) ??
      jobs.find(failed);
    if (!pick) return undefined;
    const text = traceTail(await this.o.client.trace(project, pick.id));
    return { text, url: pick.web_url };
  }

  async listBranches(pipeline: string): Promise<string[]> {
    return this.o.client.branches(this.project(pipeline));
  }

  async hasRef(pipeline: string, ref: string): Promise<boolean> {
    return this.o.client.refExists(this.project(pipeline), ref);
  }

  /**
   * The commits `to` brings over `from`, newest first (GitLab lists them oldest first), and the
   * compare page: GitLab's `web_url`, or `<project page>/-/compare/from...to` where it has none.
   */
  async compare(pipeline: string, from: string, to: string): Promise<Comparison | undefined> {
    const project = this.project(pipeline);
    if (refNameProblem(from) !== undefined || refNameProblem(to) !== undefined) return undefined;
    const found = await this.o.client.compare(project, from, to);
    if (!found) return undefined;
    const all = found.commits ?? [];
    const commits = all
      .slice(-COMPARE_LIMIT)
      .reverse()
      .map((c) => {
        const message = (c.title ?? c.message ?? '').split('\n')[0] ?? '';
        return c.author_name ? { sha: c.id, message, author: c.author_name } : { sha: c.id, message };
      });
    const url = found.web_url || (await this.compareUrl(project, from, to));
    return url ? { commits, total: all.length, url } : { commits, total: all.length };
  }

  /** `<project page>/-/compare/from...to`; without a link (logged) when the project cannot be read. */
  private async compareUrl(project: string, from: string, to: string): Promise<string | undefined> {
    try {
      let web = this.webUrls.get(project);
      if (!web) {
        web = await this.o.client.projectWebUrl(project);
        remember(this.webUrls, project, web);
      }
      return `${web.replace(/\/+$/, '')}/-/compare/${pathRef(from)}...${pathRef(to)}`;
    } catch (error) {
      this.o.logger.warn({ project, err: String((error as Error)?.message ?? error) }, 'no compare link');
      return undefined;
    }
  }

  /** Stops playing manual jobs and waits for the pollers to notice. */
  async close(): Promise<void> {
    const pollers = [...this.pollers.values()];
    for (const p of pollers) p.controller.abort();
    await Promise.all(pollers.map((p) => p.done));
  }
}
