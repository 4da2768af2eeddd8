/**
 * The GitLab REST calls deckhand makes, through @gitbeaker/rest (which builds `<url>/api/v4/…` and
 * URL-encodes every path segment, so `group/app` travels as `group%2Fapp` and a branch named
 * `a/b?c` as `a%2Fb%3Fc`). Every failure becomes a one-sentence ProviderError.
 */
import { Branches, Commits, Jobs, Pipelines, Projects, Repositories, Tags } from '@gitbeaker/rest';
import { ProviderError } from '../../core/errors.ts';
import { type CallContext, gitlabError, statusOf } from './errors.ts';

/** A pipeline as the API answers it (the fields deckhand reads). */
export interface GitlabPipeline {
  id: number;
  status: string;
  ref: string;
  sha?: string;
  web_url: string;
}

/** A job as the API answers it (the fields deckhand reads). */
export interface GitlabJob {
  id: number;
  name: string;
  stage: string;
  status: string;
  web_url: string;
  ref?: string;
  allow_failure?: boolean;
  failure_reason?: string | null;
  duration?: number | null;
  pipeline?: { id: number; ref?: string; sha?: string; status?: string; web_url?: string };
  commit?: { id?: string; message?: string; author_name?: string; author_email?: string };
  user?: { username?: string; public_email?: string | null } | null;
}

/** A comparison as the API answers it (the fields deckhand reads); `commits` is oldest first. */
export interface GitlabComparison {
  commits?: { id: string; title?: string; message?: string; author_name?: string }[];
  compare_same_ref?: boolean;
  /** The compare page; older GitLab versions leave it out. */
  web_url?: string;
}

/** A pipeline variable: `{ key, value }` (type `env_var` by default). */
export type PipelineVariable = { key: string; value: string };

export interface GitlabClientOptions {
  /** Instance URL; calls fail with "set GITLAB_URL" without it. */
  url?: string;
  token?: string;
  /** Per-request timeout (default 20 s). */
  timeoutMs?: number;
}

interface Resources {
  pipelines: InstanceType<typeof Pipelines>;
  jobs: InstanceType<typeof Jobs>;
  branches: InstanceType<typeof Branches>;
  tags: InstanceType<typeof Tags>;
  commits: InstanceType<typeof Commits>;
  repositories: InstanceType<typeof Repositories>;
  projects: InstanceType<typeof Projects>;
}

/** Most branches listed for suggestions (100 per page). */
const MAX_BRANCH_PAGES = 20;

export class GitlabClient {
  private resources: Resources | undefined;
  private readonly timeoutMs: number;

  constructor(private readonly o: GitlabClientOptions) {
    this.timeoutMs = o.timeoutMs ?? 20_000;
  }

  private get url(): string {
    return this.o.url ?? '';
  }

  private api(): Resources {
    if (!this.o.url) {
      throw new ProviderError('GitLab is not set up here: set GITLAB_URL (or providers.gitlab.url).');
    }
    if (!this.o.token) {
      throw new ProviderError('GitLab is not set up here: set GITLAB_TOKEN (or providers.gitlab.token).');
    }
    if (!this.resources) {
      const options = { host: this.o.url, token: this.o.token, queryTimeout: this.timeoutMs };
      this.resources = {
        pipelines: new Pipelines(options),
        jobs: new Jobs(options),
        branches: new Branches(options),
        tags: new Tags(options),
        commits: new Commits(options),
        repositories: new Repositories(options),
        projects: new Projects(options),
      };
    }
    return this.resources;
  }

  private async call<T>(ctx: Omit<CallContext, 'url'>, work: (api: Resources) => Promise<T>): Promise<T> {
    try {
      return await work(this.api());
    } catch (error) {
      throw gitlabError(error, { ...ctx, url: this.url, timeoutMs: this.timeoutMs });
    }
  }

  /** `POST /projects/:id/pipeline` with `{ ref, variables }`. */
  createPipeline(project: string, ref: string, variables: PipelineVariable[]): Promise<GitlabPipeline> {
    return this.call(
      {
        what: `creating a pipeline for ${project} at ${ref}`,
        hint: ".gitlab-ci.yml, the ref, and that the project's minimum role for pipeline variables lets GITLAB_TOKEN set them",
      },
      async (api) =>
        (await api.pipelines.create(project, ref, variables.length ? { variables } : {})) as GitlabPipeline,
    );
  }

  /** `GET /projects/:id/pipelines/:pid`. */
  pipeline(project: string, id: number): Promise<GitlabPipeline> {
    return this.call(
      { what: `for pipeline ${id} of ${project}` },
      async (api) => (await api.pipelines.show(project, id)) as GitlabPipeline,
    );
  }

  /** `POST …/pipelines/:pid/cancel`; GitLab answers 200 whatever the pipeline's state. */
  cancelPipeline(project: string, id: number): Promise<GitlabPipeline> {
    return this.call(
      { what: `cancelling pipeline ${id} of ${project}` },
      async (api) => (await api.pipelines.cancel(project, id)) as GitlabPipeline,
    );
  }

  /** `POST …/pipelines/:pid/retry`: retries the failed and cancelled jobs in place. */
  retryPipeline(project: string, id: number): Promise<GitlabPipeline> {
    return this.call(
      { what: `retrying pipeline ${id} of ${project}` },
      async (api) => (await api.pipelines.retry(project, id)) as GitlabPipeline,
    );
  }

  /** `GET …/pipelines/:pid/jobs` (latest attempt of each job, every page). */
  pipelineJobs(project: string, id: number): Promise<GitlabJob[]> {
    return this.call(
      { what: `listing the jobs of pipeline ${id} of ${project}` },
      async (api) =>
        (await api.jobs.all(project, { pipelineId: id, perPage: 100 })) as unknown as GitlabJob[],
    );
  }

  /** `GET /projects/:id/jobs/:job_id`. */
  job(project: string, jobId: number): Promise<GitlabJob> {
    return this.call(
      { what: `for job ${jobId} of ${project}` },
      async (api) => (await api.jobs.show(project, jobId)) as unknown as GitlabJob,
    );
  }

  /** `POST /projects/:id/jobs/:job_id/play`: starts a manual job. */
  playJob(project: string, jobId: number, name: string): Promise<GitlabJob> {
    return this.call(
      {
        what: `playing job '${name}' of ${project}`,
        hint: "that the job is `when: manual` and GITLAB_TOKEN's user may run it (protected environments)",
      },
      async (api) => (await api.jobs.play(project, jobId)) as unknown as GitlabJob,
    );
  }

  /** `GET /projects/:id/jobs/:job_id/trace`: the whole log as text. */
  trace(project: string, jobId: number): Promise<string> {
    return this.call({ what: `for the log of job ${jobId} of ${project}` }, async (api) => {
      const body: unknown = await api.jobs.showLog(project, jobId);
      if (typeof body === 'string') return body;
      if (body instanceof Blob) return body.text();
      return '';
    });
  }

  /** `GET /projects/:id/repository/branches`, every page up to 2,000 names. */
  branches(project: string): Promise<string[]> {
    return this.call({ what: `listing the branches of ${project}` }, async (api) => {
      const list = await api.branches.all(project, { perPage: 100, maxPages: MAX_BRANCH_PAGES });
      return (list as { name: string }[]).map((b) => b.name);
    });
  }

  /**
   * `GET /projects/:id/repository/compare?from=&to=`: the commits `to` has and `from` lacks (merge
   * base comparison). Undefined when GitLab answers "404 Ref Not Found" for either ref.
   * https://docs.gitlab.com/api/repositories/#compare-branches-tags-or-commits
   */
  async compare(project: string, from: string, to: string): Promise<GitlabComparison | undefined> {
    try {
      return (await this.api().repositories.compare(project, from, to)) as unknown as GitlabComparison;
    } catch (error) {
      // "404 Project Not Found" is a configuration problem, not an unknown ref.
      if (statusOf(error) === 404 && !/project/i.test((error as Error).message)) return undefined;
      throw gitlabError(error, {
        url: this.url,
        timeoutMs: this.timeoutMs,
        what: `comparing '${from}' with '${to}' in ${project}`,
      });
    }
  }

  /** `GET /projects/:id`: the project's page, e.g. `https://gitlab.example.com/group/app`. */
  projectWebUrl(project: string): Promise<string> {
    return this.call({ what: `for project ${project}` }, async (api) => {
      const { web_url: url } = (await api.projects.show(project)) as { web_url?: unknown };
      if (typeof url !== 'string' || !url) throw new ProviderError(`GitLab gave no address for ${project}.`);
      return url;
    });
  }

  /** Whether `ref` names a tag, a branch or a commit of the project (404 means no). */
  async refExists(project: string, ref: string): Promise<boolean> {
    const api = this.api();
    const lookups = [
      () => api.tags.show(project, ref),
      () => api.branches.show(project, ref),
      () => api.commits.show(project, ref),
    ];
    for (const lookup of lookups) {
      try {
        await lookup();
        return true;
      } catch (error) {
        // "404 Tag Not Found" means no such ref; "404 Project Not Found" is a configuration problem.
        if (statusOf(error) === 404 && !/project/i.test((error as Error).message)) continue;
        throw gitlabError(error, {
          url: this.url,
          timeoutMs: this.timeoutMs,
          what: `looking up '${ref}' in ${project}`,
        });
      }
    }
    return false;
  }
}
