/**
 * A local fake of the GitLab REST API v4 (the calls deckhand makes), for the real gitbeaker client.
 * It follows GitLab's documented contract: `PRIVATE-TOKEN` auth (401 `{"message":"401 Unauthorized"}`),
 * `:id` as a numeric id or URL-encoded path (404 `{"message":"404 Project Not Found"}`), offset
 * pagination with `Link`/`X-*` headers, `POST /projects/:id/pipeline` with `{ref, variables}`, manual
 * jobs played through `POST /jobs/:id/play`, cancel answering 200 whatever the state, job logs as text,
 * and `GET /repository/compare` over a project's commits (404 `{"message":"404 Ref Not Found"}`).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A job of the project's `.gitlab-ci.yml`, as the fake creates it for every pipeline. */
export interface GitlabFakeCiJob {
  name: string;
  stage: string;
  /** `manual` jobs wait for a play. */
  when?: 'manual' | 'on_success';
  /** Status right after creation (default: `manual` for manual jobs, `pending` in the first stage, else `created`). */
  initial?: string;
}

export interface GitlabFakeProject {
  id: number;
  path: string;
  branches: string[];
  tags: string[];
  /** A line of history, newest first: branches and tags point at the first unless `refs` says otherwise. */
  commits: { sha: string; message: string; author_name: string; author_email: string }[];
  /** Branch or tag → the SHA of one of `commits` it points at. */
  refs: Record<string, string>;
  /** Whether the compare answer carries `web_url` (older GitLab versions leave it out). */
  compareWebUrl: boolean;
  ci: GitlabFakeCiJob[];
}

/** A job as the fake keeps it; tests change `status` and `trace` to move it along. */
export type GitlabFakeJob = {
  id: number;
  name: string;
  stage: string;
  status: string;
  pipelineId: number;
} & {
  allow_failure: boolean;
  failure_reason?: string;
  duration: number | null;
  trace?: string;
};

/** A pipeline as the fake keeps it, with the variables it was created with. */
export type GitlabFakePipeline = { id: number; iid: number; projectId: number; ref: string; sha: string } & {
  status: string;
  variables: { key: string; value: string }[];
};

/** One request as received: `path` is the raw (still encoded) path after `/api/v4`. */
export type GitlabFakeCall = { method: string; path: string; route: string; query: URLSearchParams } & {
  body: Record<string, unknown>;
  headers: http.IncomingHttpHeaders;
  status: number;
};

/** A scripted answer for the next call of one route (e.g. `POST /projects/:id/pipeline`). */
export type GitlabFakeFailure = { status: number; body?: unknown };

export interface GitlabFake {
  /** Instance URL for GITLAB_URL (the API is under `/api/v4`). */
  readonly url: string;
  tokens: string[];
  readonly projects: GitlabFakeProject[];
  readonly pipelines: Map<number, GitlabFakePipeline>;
  readonly jobs: Map<number, GitlabFakeJob>;
  readonly calls: GitlabFakeCall[];
  addProject(project: Partial<GitlabFakeProject> & { path: string }): GitlabFakeProject;
  /** The latest job of that name in a pipeline. */
  job(pipelineId: number, name: string): GitlabFakeJob | undefined;
  failNext(route: string, failure: GitlabFakeFailure): void;
  /** Holds the next call of `route` unanswered until the returned function is called. */
  holdNext(route: string): () => void;
  close(): Promise<void>;
}

type Answer = { status: number; body: unknown; headers?: Record<string, string> };
type Params = Record<string, string>;
type Handler = (p: Params, body: Record<string, unknown>, query: URLSearchParams) => Answer;

const ok = (body: unknown, status = 200): Answer => ({ status, body });
const notFound = (what: string): Answer => ({ status: 404, body: { message: `404 ${what} Not Found` } });
const active = new Set('created waiting_for_resource preparing pending running manual scheduled'.split(' '));
const time = '2026-01-15T10:00:00.000Z';

export async function startGitlabFake(options: { tokens?: string[] } = {}): Promise<GitlabFake> {
  const calls: GitlabFakeCall[] = [];
  const projects: GitlabFakeProject[] = [];
  const pipelines = new Map<number, GitlabFakePipeline>();
  const jobs = new Map<number, GitlabFakeJob>();
  const failures = new Map<string, GitlabFakeFailure[]>();
  const holds = new Map<string, Promise<void>[]>();
  let nextPipeline = 1000;
  let nextJob = 5000;
  let url = '';

  const projectOf = (id: string) =>
    /^\d+$/.test(id)
      ? projects.find((p) => p.id === Number(id))
      : projects.find((p) => p.path.toLowerCase() === id.toLowerCase());
  const webUrl = (p: GitlabFakeProject) => `${url}/${p.path}`;
  const commitOf = (p: GitlabFakeProject, sha: string) =>
    p.commits?.find((c) => c.sha === sha) ?? {
      sha,
      message: 'Commit',
      author_name: 'Dev',
      author_email: 'x@example.com',
    };
  const user = { id: 1, username: 'deckhand-bot', name: 'deckhand', state: 'active' };
  const pipelineJson = (p: GitlabFakeProject, pl: GitlabFakePipeline) => {
    const { id, iid, sha, ref, status } = pl;
    const at = { created_at: time, updated_at: time, started_at: null, finished_at: null, duration: null };
    const web_url = `${webUrl(p)}/-/pipelines/${pl.id}`;
    return {
      id,
      iid,
      project_id: p.id,
      sha,
      ref,
      status,
      source: 'api',
      tag: p.tags.includes(ref),
      user,
      ...at,
      web_url,
    };
  };
  const jobJson = (p: GitlabFakeProject, j: GitlabFakeJob) => {
    const { id, name, stage, status, allow_failure, duration } = j;
    const pl = pipelines.get(j.pipelineId) as GitlabFakePipeline;
    const c = commitOf(p, pl.sha);
    const commit = { id: c.sha, short_id: c.sha.slice(0, 8), title: c.message.split('\n')[0], ...c };
    const pipeline = { ...pipelineJson(p, pl), user: undefined };
    const failure = status === 'failed' ? { failure_reason: j.failure_reason ?? 'script_failure' } : {};
    const at = { created_at: time, started_at: null, finished_at: null };
    const web_url = `${webUrl(p)}/-/jobs/${id}`;
    return {
      id,
      name,
      stage,
      status,
      ref: pl.ref,
      allow_failure,
      ...failure,
      duration,
      ...at,
      web_url,
      pipeline,
      commit,
      user,
    };
  };

  /** Offset pagination as GitLab does it: `page`/`per_page` (default 20, max 100) and Link headers. */
  const paged = (items: unknown[], query: URLSearchParams, path: string): Answer => {
    const perPage = Math.min(Math.max(Number(query.get('per_page')) || 20, 1), 100);
    const page = Math.max(Number(query.get('page')) || 1, 1);
    const pages = Math.max(Math.ceil(items.length / perPage), 1);
    const link = (n: number, rel: string) =>
      `<${url}/api/v4${path}?page=${n}&per_page=${perPage}>; rel="${rel}"`;
    const links = [link(1, 'first'), link(pages, 'last')];
    if (page < pages) links.unshift(link(page + 1, 'next'));
    const headers: Record<string, string> = {
      'X-Page': String(page),
      'X-Per-Page': String(perPage),
      'X-Total': String(items.length),
      'X-Total-Pages': String(pages),
      'X-Next-Page': page < pages ? String(page + 1) : '',
      'X-Prev-Page': page > 1 ? String(page - 1) : '',
      Link: links.join(', '),
    };
    return { status: 200, body: items.slice((page - 1) * perPage, page * perPage), headers };
  };

  type ProjectHandler = (p: GitlabFakeProject, ...rest: Parameters<Handler>) => Answer;
  const withProject =
    (handler: ProjectHandler): Handler =>
    (params, body, query) => {
      const p = projectOf(params.id ?? '');
      return p ? handler(p, params, body, query) : notFound('Project');
    };
  const withPipeline = (handler: (p: GitlabFakeProject, pl: GitlabFakePipeline) => Answer): Handler =>
    withProject((p, params) => {
      const pl = pipelines.get(Number(params.pipeline_id));
      return pl && pl.projectId === p.id
        ? handler(p, pl)
        : { status: 404, body: { message: '404 Not found' } };
    });
  const withJob = (handler: (p: GitlabFakeProject, j: GitlabFakeJob) => Answer): Handler =>
    withProject((p, params) => {
      const j = jobs.get(Number(params.job_id));
      return j && pipelines.get(j.pipelineId)?.projectId === p.id ? handler(p, j) : notFound('Job');
    });
  const pipelineJobs = (pl: GitlabFakePipeline) => [...jobs.values()].filter((j) => j.pipelineId === pl.id);

  /** The index in `commits` (newest first) of the commit a branch, a tag or a SHA (7+ digits) names. */
  const commitIndex = (p: GitlabFakeProject, ref: string): number | undefined => {
    const sha =
      p.refs[ref] ??
      (p.branches.includes(ref) || p.tags.includes(ref) ? p.commits[0]?.sha : undefined) ??
      (ref.length >= 7 ? p.commits.find((c) => c.sha.startsWith(ref))?.sha : undefined);
    const index = p.commits.findIndex((c) => c.sha === sha);
    return index >= 0 ? index : undefined;
  };
  const compareCommitJson = (p: GitlabFakeProject, c: GitlabFakeProject['commits'][number]) => ({
    id: c.sha,
    short_id: c.sha.slice(0, 11),
    created_at: time,
    title: c.message.split('\n')[0],
    message: c.message,
    author_name: c.author_name,
    author_email: c.author_email,
    authored_date: time,
    web_url: `${webUrl(p)}/-/commit/${c.sha}`,
  });

  const routes: Record<string, Handler> = {
    'GET /projects/:id': withProject((p) =>
      ok({
        id: p.id,
        name: p.path.split('/').at(-1),
        path: p.path.split('/').at(-1),
        path_with_namespace: p.path,
        default_branch: p.branches[0],
        web_url: webUrl(p),
      }),
    ),
    // Merge-base comparison over a line of history: the commits `to` has and `from` lacks, oldest first.
    'GET /projects/:id/repository/compare': withProject((p, _params, _b, query) => {
      const from = commitIndex(p, query.get('from') ?? '');
      const to = commitIndex(p, query.get('to') ?? '');
      if (from === undefined || to === undefined) return notFound('Ref');
      const commits = to < from ? p.commits.slice(to, from).reverse() : [];
      const [head, base] = [p.commits[to], p.commits[from]];
      return ok({
        commit: commits.length ? compareCommitJson(p, commits.at(-1) as (typeof commits)[number]) : null,
        commits: commits.map((c) => compareCommitJson(p, c)),
        diffs: [],
        compare_timeout: false,
        compare_same_ref: from === to,
        ...(p.compareWebUrl ? { web_url: `${webUrl(p)}/-/compare/${base?.sha}...${head?.sha}` } : {}),
      });
    }),
    'GET /projects/:id/repository/branches': withProject((p, _params, _b, query) =>
      paged(
        p.branches.map((name) => ({
          name,
          merged: false,
          protected: name === 'main',
          default: name === 'main',
        })),
        query,
        `/projects/${encodeURIComponent(p.path)}/repository/branches`,
      ),
    ),
    'GET /projects/:id/repository/branches/:branch': withProject((p, { branch }) =>
      p.branches.includes(branch ?? '') ? ok({ name: branch, merged: false }) : notFound('Branch'),
    ),
    'GET /projects/:id/repository/tags/:tag': withProject((p, { tag }) =>
      p.tags.includes(tag ?? '')
        ? ok({ name: tag, target: p.refs[tag ?? ''] ?? p.commits[0]?.sha })
        : notFound('Tag'),
    ),
    'GET /projects/:id/repository/commits/:sha': withProject((p, { sha = '' }) => {
      const c = p.commits.find((x) => x.sha.startsWith(sha) && sha.length >= 7);
      const named =
        p.branches.includes(sha) || p.tags.includes(sha) ? p.commits[commitIndex(p, sha) ?? 0] : undefined;
      const found = c ?? named;
      return found ? ok({ id: found.sha, message: found.message }) : notFound('Commit');
    }),
    'POST /projects/:id/pipeline': withProject((p, _params, body) => {
      const ref = typeof body.ref === 'string' ? body.ref : '';
      if (!p.branches.includes(ref) && !p.tags.includes(ref)) {
        return { status: 400, body: { message: { base: ['Reference not found'] } } };
      }
      const variables = Array.isArray(body.variables)
        ? (body.variables as GitlabFakePipeline['variables'])
        : [];
      const [id, sha] = [++nextPipeline, p.commits[0]?.sha ?? '0'.repeat(40)];
      const pl: GitlabFakePipeline = {
        id,
        iid: id - 999,
        projectId: p.id,
        ref,
        sha,
        status: 'created',
        variables,
      };
      pipelines.set(pl.id, pl);
      const first = p.ci[0]?.stage;
      for (const c of p.ci) {
        const status =
          c.initial ?? (c.when === 'manual' ? 'manual' : c.stage === first ? 'pending' : 'created');
        const { name, stage } = c;
        const job = {
          name,
          stage,
          status,
          pipelineId: pl.id,
          allow_failure: c.when === 'manual',
          duration: null,
        };
        jobs.set(++nextJob, { id: nextJob, ...job });
      }
      return ok(pipelineJson(p, pl), 201);
    }),
    'GET /projects/:id/pipelines/:pipeline_id': withPipeline((p, pl) => ok(pipelineJson(p, pl))),
    'GET /projects/:id/pipelines/:pipeline_id/jobs': withProject((p, params, _b, query) => {
      const pl = pipelines.get(Number(params.pipeline_id));
      if (!pl || pl.projectId !== p.id) return { status: 404, body: { message: '404 Not found' } };
      const list = pipelineJobs(pl)
        .sort((a, b) => b.id - a.id)
        .map((j) => jobJson(p, j));
      return paged(list, query, `/projects/${encodeURIComponent(p.path)}/pipelines/${pl.id}/jobs`);
    }),
    'POST /projects/:id/pipelines/:pipeline_id/cancel': withPipeline((p, pl) => {
      if (active.has(pl.status)) {
        pl.status = 'canceled';
        for (const j of pipelineJobs(pl)) if (active.has(j.status)) j.status = 'canceled';
      }
      return ok(pipelineJson(p, pl));
    }),
    'POST /projects/:id/pipelines/:pipeline_id/retry': withPipeline((p, pl) => {
      for (const j of pipelineJobs(pl))
        if (j.status === 'failed' || j.status === 'canceled') j.status = 'pending';
      pl.status = 'pending';
      return ok(pipelineJson(p, pl), 201);
    }),
    'GET /projects/:id/jobs/:job_id': withJob((p, j) => ok(jobJson(p, j))),
    'POST /projects/:id/jobs/:job_id/play': withJob((p, j) => {
      if (j.status !== 'manual')
        return { status: 400, body: { message: '400 Bad request - Unplayable Job' } };
      j.status = 'pending';
      const pl = pipelines.get(j.pipelineId) as GitlabFakePipeline;
      pl.status = 'running';
      return ok(jobJson(p, j));
    }),
    'GET /projects/:id/jobs/:job_id/trace': withJob((_p, j) =>
      j.trace === undefined
        ? notFound('')
        : { status: 200, body: j.trace, headers: { 'Content-Type': 'text/plain; charset=utf-8' } },
    ),
  };
  const table = Object.entries(routes).map(([key, handler]) => {
    const [method, pattern] = key.split(' ') as [string, string];
    return { key, method, parts: pattern.split('/').slice(1), handler };
  });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const target = new URL(req.url ?? '/', 'http://fake');
      const path = target.pathname.startsWith('/api/v4/') ? target.pathname.slice(7) : '';
      const segments = path.split('/').slice(1);
      let answer: Answer = { status: 404, body: { error: '404 Not Found' } };
      let route = '';
      let body: Record<string, unknown> = {};
      try {
        const raw = Buffer.concat(chunks).toString('utf8');
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      } catch {
        answer = { status: 400, body: { error: 'The body is not valid JSON' } };
      }
      const token = req.headers['private-token'];
      const match = table.find(
        (r) =>
          r.method === req.method &&
          r.parts.length === segments.length &&
          r.parts.every((part, i) => part.startsWith(':') || part === segments[i]),
      );
      if (match) {
        route = match.key;
        const params: Params = {};
        match.parts.forEach((part, i) => {
          if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(segments[i] ?? '');
        });
        await holds.get(route)?.shift();
        const authorized = typeof token === 'string' && fake.tokens.includes(token);
        const scripted = authorized ? failures.get(route)?.shift() : undefined;
        if (!authorized) answer = { status: 401, body: { message: '401 Unauthorized' } };
        else if (scripted) answer = { status: scripted.status, body: scripted.body ?? { message: 'Error' } };
        else if (answer.status !== 400) answer = match.handler(params, body, target.searchParams);
      }
      const { method = 'GET', headers } = req;
      calls.push({ method, path, route, query: target.searchParams, body, headers, status: answer.status });
      const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      const type =
        typeof answer.body !== 'string'
          ? 'application/json'
          : text.startsWith('<')
            ? 'text/html'
            : 'text/plain';
      res.writeHead(answer.status, { 'Content-Type': type, ...answer.headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: GitlabFake = {
    url,
    tokens: options.tokens ?? ['glpat-fake-token-0123456789'],
    projects,
    pipelines,
    jobs,
    calls,
    addProject(project) {
      const full: GitlabFakeProject = {
        id: project.id ?? 100 + projects.length,
        path: project.path,
        branches: project.branches ?? ['main'],
        tags: project.tags ?? [],
        commits: project.commits ?? [
          commitOf(project as GitlabFakeProject, 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'),
        ],
        refs: project.refs ?? {},
        compareWebUrl: project.compareWebUrl ?? true,
        ci: project.ci ?? [{ name: 'build', stage: 'build' }],
      };
      projects.push(full);
      return full;
    },
    job(pipelineId, name) {
      return [...jobs.values()]
        .filter((j) => j.pipelineId === pipelineId && j.name === name)
        .sort((a, b) => b.id - a.id)[0];
    },
    holdNext(route) {
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      holds.set(route, [...(holds.get(route) ?? []), held]);
      return () => release();
    },
    failNext(route, failure) {
      failures.set(route, [...(failures.get(route) ?? []), failure]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return fake;
}
