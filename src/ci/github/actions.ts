/** The GitHub Actions CI provider: dispatch, cancel, rerun, job logs, branches and refs over REST. */
import type { Octokit } from '@octokit/rest';
import { ProviderError } from '../../core/errors.ts';
import type { CiProvider, Clock, Comparison, LogTail, RunSpec, TriggerResult } from '../../core/ports.ts';
import { refNameProblem, shaPattern } from '../../core/refs.ts';
import type { CiSystemContext } from '../../modules/ci-system.ts';
import type { GithubClient } from './client.ts';
import type { GithubDeployments } from './deployments.ts';
import { dispatchWorkflow, type FindRunOptions } from './dispatch.ts';
import { jobLogTail } from './log-tail.ts';
import type { GithubPipelines, Repo } from './pipelines.ts';
import { failedJob, type JobLike } from './status.ts';

/** What the provider is built from. */
export interface GithubActionsOptions {
  client: GithubClient;
  pipelines: GithubPipelines;
  deployments: GithubDeployments;
  clock: Clock;
  logger: CiSystemContext['logger'];
  findRun: FindRunOptions;
}

/** Branch lists stop here; chat shows a handful anyway. */
const maxBranches = 1000;

/** Commits a comparison lists (the total counts them all). */
const compareLimit = 20;

/** The `CiProvider` for GitHub Actions. */
export class GithubActions implements CiProvider {
  readonly name = 'github';
  /** What each deckhand run dispatched, so cancel and logs know the repository. */
  private readonly runs = new Map<number, { pipeline: string; externalId?: string }>();
  private readonly claimed = new Set<string>();

  constructor(private readonly o: GithubActionsOptions) {}

  async trigger(spec: RunSpec): Promise<TriggerResult> {
    const pipeline = this.o.pipelines.get(spec.pipeline);
    const deployment = this.o.deployments.wanted(pipeline, spec)
      ? await this.o.deployments.create(pipeline, spec)
      : undefined;
    let result: TriggerResult;
    try {
      const deps = {
        client: this.o.client,
        clock: this.o.clock,
        findRun: this.o.findRun,
        claimed: this.claimed,
        logger: this.o.logger,
      };
      result = await dispatchWorkflow(deps, pipeline, spec);
    } catch (error) {
      if (deployment)
        await this.o.deployments.notStarted(deployment, 'The workflow could not be dispatched.');
      throw error;
    }
    this.runs.set(spec.runId, { pipeline: pipeline.name, externalId: result.externalId });
    if (this.runs.size > 1000) this.runs.delete(this.runs.keys().next().value as number);
    if (deployment) await this.o.deployments.started(deployment, result);
    return result;
  }

  async cancel(runId: number, externalId?: string): Promise<boolean> {
    const id = externalId ?? this.runs.get(runId)?.externalId;
    if (!id) return false;
    return this.onRun(runId, `run ${id}`, async (octokit, repo) => {
      try {
        await octokit.rest.actions.cancelWorkflowRun({
          owner: repo.owner,
          repo: repo.repo,
          run_id: Number(id),
        });
        return true;
      } catch (error) {
        // 409: the run has already completed.
        if ((error as { status?: number }).status === 409) return false;
        throw error;
      }
    });
  }

  async rerun(runId: number, externalId: string): Promise<boolean> {
    return this.onRun(runId, `run ${externalId}`, async (octokit, repo) => {
      try {
        const params = { owner: repo.owner, repo: repo.repo, run_id: Number(externalId) };
        await octokit.rest.actions.reRunWorkflowFailedJobs(params);
        return true;
      } catch (error) {
        // 403 while the run is still going, 409 when there is nothing to rerun.
        const status = (error as { status?: number }).status;
        if (status === 403 || status === 409) return false;
        throw error;
      }
    });
  }

  async logTail(runId: number, externalId: string, job?: string): Promise<LogTail | undefined> {
    return this.onRun(runId, `the jobs of run ${externalId}`, async (octokit, repo) => {
      const jobs = await this.listJobs(octokit, repo, externalId);
      const chosen = (job ? jobs.find((j) => j.name === job) : undefined) ?? failedJob(jobs) ?? jobs.at(-1);
      if (!chosen) return undefined;
      // GitHub answers 302 to a short-lived download URL; fetch follows it.
      const { data } = await octokit.rest.actions.downloadJobLogsForWorkflowRun({
        owner: repo.owner,
        repo: repo.repo,
        job_id: chosen.id,
      });
      const text = typeof data === 'string' ? data : new TextDecoder().decode(data as ArrayBuffer);
      return { text: jobLogTail(text), url: chosen.html_url ?? undefined };
    });
  }

  async listBranches(pipelineName: string): Promise<string[]> {
    const { repo } = this.o.pipelines.get(pipelineName);
    const call = { what: `the branches of ${repo.fullName}`, check: 'the repository name' };
    return this.o.client.call(repo, call, async (octokit) => {
      const names: string[] = [];
      const params = { owner: repo.owner, repo: repo.repo, per_page: 100 };
      for await (const page of octokit.paginate.iterator(octokit.rest.repos.listBranches, params)) {
        names.push(...page.data.map((b) => b.name));
        if (names.length >= maxBranches) break;
      }
      return names;
    });
  }

  async hasRef(pipelineName: string, ref: string): Promise<boolean> {
    const { repo } = this.o.pipelines.get(pipelineName);
    const call = { what: `ref ${ref} in ${repo.fullName}`, check: 'the repository name' };
    return this.o.client.call(repo, call, async (octokit) => {
      const where = { owner: repo.owner, repo: repo.repo };
      const absent = (error: unknown) => {
        const status = (error as { status?: number }).status;
        if (status === 404 || status === 409 || status === 422) return false;
        throw error;
      };
      for (const kind of ['heads', 'tags']) {
        const found = await octokit.rest.git
          .getRef({ ...where, ref: `${kind}/${ref}` })
          .then(() => true, absent);
        if (found) return true;
      }
      if (!shaPattern.test(ref)) return false;
      return octokit.rest.repos.getCommit({ ...where, ref }).then(() => true, absent);
    });
  }

  /**
   * The commits `to` brings over `from` (`GET /repos/{owner}/{repo}/compare/{basehead}`), newest
   * first, and the compare page. Without paging parameters GitHub lists up to 250 commits, oldest
   * first, the last being the newest of the range; `total_commits` counts them all. A 404 means
   * GitHub knows no such ref.
   */
  async compare(pipelineName: string, from: string, to: string): Promise<Comparison | undefined> {
    const { repo } = this.o.pipelines.get(pipelineName);
    // `...` separates the two refs, and ref names cannot hold `..`, `:` or a leading `-`.
    if (refNameProblem(from) !== undefined || refNameProblem(to) !== undefined) return undefined;
    const call = {
      what: `the commits from ${from} to ${to} in ${repo.fullName}`,
      check: 'the repository name',
    };
    return this.o.client.call(repo, call, async (octokit) => {
      try {
        const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
          owner: repo.owner,
          repo: repo.repo,
          basehead: `${from}...${to}`,
        });
        const commits = data.commits
          .slice(-compareLimit)
          .reverse()
          .map((c) => {
            const author = c.commit.author?.name || (c.author && 'login' in c.author ? c.author.login : '');
            const message = c.commit.message.split('\n')[0] ?? '';
            return author ? { sha: c.sha, message, author } : { sha: c.sha, message };
          });
        return { commits, total: data.total_commits, url: data.html_url };
      } catch (error) {
        if ((error as { status?: number }).status === 404) return undefined;
        throw error;
      }
    });
  }

  /** The jobs of a run (latest attempt), for webhook details; the repository is the pipeline's. */
  async jobs(repo: Repo, runId: string): Promise<JobLike[]> {
    const call = { what: `the jobs of run ${runId} in ${repo.fullName}`, check: 'the run' };
    return this.o.client.call(repo, call, (octokit) => this.listJobs(octokit, repo, runId));
  }

  /** A run's workflow file path, to tell which pipeline a job event belongs to. */
  async workflowPath(repo: Repo, runId: string): Promise<{ path?: string; id?: number }> {
    const call = { what: `run ${runId} in ${repo.fullName}`, check: 'the run' };
    const { data } = await this.o.client.call(repo, call, (octokit) =>
      octokit.rest.actions.getWorkflowRun({ owner: repo.owner, repo: repo.repo, run_id: Number(runId) }),
    );
    return { path: data.path, id: data.workflow_id };
  }

  private async listJobs(octokit: Octokit, repo: Repo, runId: string): Promise<JobLike[]> {
    const { data } = await octokit.rest.actions.listJobsForWorkflowRun({
      owner: repo.owner,
      repo: repo.repo,
      run_id: Number(runId),
      filter: 'latest',
      per_page: 100,
    });
    return data.jobs;
  }

  /**
   * Runs `work` against the run's repository. After a restart deckhand no longer knows which
   * repository a run is in, so each configured one is tried until one knows the run.
   */
  private async onRun<T>(
    runId: number,
    what: string,
    work: (o: Octokit, repo: Repo) => Promise<T>,
  ): Promise<T> {
    const known = this.runs.get(runId)?.pipeline;
    const repos = known ? [this.o.pipelines.get(known).repo] : this.o.pipelines.repos();
    let last: unknown = new ProviderError('No GitHub pipeline is configured.');
    for (const repo of repos) {
      const call = { what: `${what} in ${repo.fullName}`, check: 'the run id' };
      try {
        return await this.o.client.call(repo, call, (octokit) => work(octokit, repo));
      } catch (error) {
        last = error;
        if (!(error instanceof ProviderError && error.status === 404)) throw error;
      }
    }
    throw last;
  }
}
