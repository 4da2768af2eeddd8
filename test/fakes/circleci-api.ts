/**
 * A local fake of CircleCI's API v2 (and the v1.1 job endpoint with pre-signed step output), for
 * the real client over `fetch`. It answers as CircleCI documents: `Circle-Token` auth (401
 * `{"message":"Invalid token provided."}`), 404 `{"message":"Project not found"}`, 201 on trigger,
 * 202 on cancel, rerun and approve; lists as `{items, next_page_token}`. Tests move jobs along.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A job every new pipeline of a project gets. */
export type FakeJobSpec = { name: string; type?: 'build' | 'approval' };

/** A project: its workflows (as config.yml would define them) and its declared parameters. */
export interface FakeProject {
  slug: string;
  /** `when` picks the workflows a pipeline runs from its parameters, as `when:` does in config.yml. */
  workflows: { name: string; jobs: FakeJobSpec[]; when?: (parameters: Record<string, unknown>) => boolean }[];
  /** Declared pipeline parameters; others are refused with 400. Undefined accepts any. */
  parameters?: string[];
}

/** One step of a job, as API v1.1 lists it, with its output. */
export type FakeStep = { name: string; status: 'success' | 'failed'; output: string };

let jobNumber = 100;
function newJob(spec: FakeJobSpec) {
  const id = randomUUID();
  const approval = spec.type === 'approval';
  return {
    ...{ id, name: spec.name, type: spec.type ?? 'build', job_number: ++jobNumber },
    status: approval ? 'on_hold' : 'not_running',
    started_at: null as string | null,
    stopped_at: null as string | null,
    approval_request_id: approval ? id : undefined,
    steps: [] as FakeStep[],
  };
}
/** A job as the fake keeps it. */
export type FakeJob = ReturnType<typeof newJob>;
/** A workflow as the fake keeps it. */
export type FakeWorkflow = { id: string; name: string; status: string; jobs: FakeJob[] } & Times;
type Times = { created_at: string; stopped_at: string | null };
/** A pipeline as the fake keeps it (`author` and `workflows` are not shown by `GET /pipeline`). */
export type FakePipeline = {
  id: string;
  number: number;
  project_slug: string;
  state: string;
  created_at: string;
  errors: { type: string; message: string }[];
  vcs: { branch?: string; tag?: string; revision: string; commit: { subject: string; body: string } };
  author: { name: string; email: string };
  workflows: FakeWorkflow[];
};

/** One request the fake received; `rawPath` is as sent (still percent-encoded). */
export type FakeCall = {
  method: string;
  rawPath: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  status: number;
};

export interface CircleciFake {
  /** API v2 base, for `providers.circleci.apiUrl`. */
  readonly url: string;
  tokens: string[];
  readonly projects: FakeProject[];
  /** Newest last. */
  readonly pipelines: FakePipeline[];
  readonly calls: FakeCall[];
  /** The commit the next pipeline builds. */
  commit: { subject: string; author: { name: string; email: string } };
  /** Adds a pipeline as if a push had started it (recent pipelines are where branches come from). */
  addPipeline(slug: string, ref: { branch?: string; tag?: string }): FakePipeline;
  pipeline(id: string): FakePipeline;
  /** The newest workflow of a pipeline that has this job. */
  workflowOf(pipelineId: string, jobName: string): FakeWorkflow;
  /** Moves a job on; a failed job's last step is `failedStep` with `output` as its log. */
  setJob(id: string, job: string, status: string, o?: { failedStep?: string; output?: string }): FakeJob;
  /** Makes the next request whose `METHOD path` matches fail with this answer. */
  failNext(match: RegExp, status: number, body?: unknown, headers?: Record<string, string>): void;
  close(): Promise<void>;
}

type Answer = { status: number; body: unknown; headers?: Record<string, string> };
const json = (status: number, body: unknown): Answer => ({ status, body });
const notFound = (what: string) => json(404, { message: `${what} not found` });
const long = (slug: string) =>
  slug.replace(/^gh\//i, 'github/').replace(/^bb\//i, 'bitbucket/').toLowerCase();
const failedStates = new Set(
  'failed infrastructure_fail timedout unauthorized terminated-unknown'.split(' '),
);

/** The status CircleCI would show for a workflow with these jobs. */
function workflowStatus(jobs: FakeJob[]): string {
  const s = jobs.map((j) => j.status);
  const failed = s.some((x) => failedStates.has(x));
  if (s.includes('running') || s.includes('queued')) return failed ? 'failing' : 'running';
  if (failed) return 'failed';
  if (s.includes('canceled')) return 'canceled';
  if (s.includes('on_hold')) return 'on_hold';
  return s.every((x) => x === 'success' || x === 'not_run') ? 'success' : 'running';
}

/** Starts the fake on 127.0.0.1 on a random port. */
export async function startCircleciFake(o: {
  projects: FakeProject[];
  tokens?: string[];
}): Promise<CircleciFake> {
  const calls: FakeCall[] = [];
  const pipelines: FakePipeline[] = [];
  const failures: { match: RegExp; answer: Answer }[] = [];
  let clock = Date.parse('2025-03-01T10:00:00Z');
  const now = () => {
    clock += 1000; // every event a second after the one before
    return new Date(clock).toISOString();
  };
  let origin = '';

  const project = (slug: string) => o.projects.find((p) => long(p.slug) === long(slug));
  const ofProject = (p: FakeProject) => pipelines.filter((x) => long(x.project_slug) === long(p.slug));
  const refresh = (w: FakeWorkflow) => {
    w.status = workflowStatus(w.jobs);
    w.stopped_at = ['success', 'failed', 'canceled'].includes(w.status) ? now() : null;
  };
  const newWorkflow = (name: string, jobs: FakeJob[]): FakeWorkflow => {
    const w = { id: randomUUID(), name, status: 'running', created_at: now(), stopped_at: null, jobs };
    refresh(w);
    return w;
  };
  const create = (
    p: FakeProject,
    ref: { branch?: string; tag?: string },
    parameters: Record<string, unknown>,
  ) => {
    const number = ofProject(p).length + 1;
    const subject = fake.commit.subject;
    const pipeline: FakePipeline = {
      ...{ id: randomUUID(), number, project_slug: p.slug, state: 'created', created_at: now(), errors: [] },
      vcs: {
        ...ref,
        revision: randomUUID().replace(/-/g, '').padEnd(40, '0'),
        commit: { subject, body: '' },
      },
      author: { ...fake.commit.author },
      workflows: p.workflows
        .filter((w) => w.when?.(parameters) ?? true)
        .map((w) => newWorkflow(w.name, w.jobs.map(newJob))),
    };
    pipelines.push(pipeline);
    return pipeline;
  };
  const shown = ({ workflows: _w, author: _a, ...p }: FakePipeline) => p;
  const find = (id: string) => {
    for (const p of pipelines) for (const w of p.workflows) if (w.id === id) return { p, w };
    return undefined;
  };

  function v2(
    method: string,
    parts: string[],
    body: Record<string, unknown>,
    query: URLSearchParams,
  ): Answer {
    const [kind, a, b, c, d] = parts;
    if (kind === 'project' && parts.length === 5 && d === 'pipeline') {
      const p = project(`${a}/${b}/${c}`);
      if (!p) return json(404, { message: 'Project not found' });
      if (method === 'GET') {
        const all = ofProject(p).reverse();
        const from = Number(query.get('page-token') ?? 0);
        const next = from + 20 < all.length ? String(from + 20) : null;
        return json(200, { items: all.slice(from, from + 20).map(shown), next_page_token: next });
      }
      if (body.branch && body.tag) return json(400, { message: 'Only one of branch or tag may be given.' });
      const parameters = (body.parameters ?? {}) as Record<string, unknown>;
      const unexpected = Object.keys(parameters).filter((k) => p.parameters && !p.parameters.includes(k));
      if (unexpected.length)
        return json(400, { message: `Unexpected argument(s): ${unexpected.join(', ')}` });
      const ref = body.tag ? { tag: String(body.tag) } : { branch: String(body.branch ?? 'main') };
      const { id, number, created_at } = create(p, ref, parameters);
      return json(201, { id, state: 'pending', number, created_at });
    }
    if (kind === 'pipeline' && a) {
      const p = pipelines.find((x) => x.id === a);
      if (!p) return notFound('Pipeline');
      if (parts.length === 2) return json(200, shown(p));
      const items = p.workflows.map(({ jobs: _j, ...w }) => ({
        ...w,
        pipeline_id: p.id,
        pipeline_number: p.number,
      }));
      if (b === 'workflow') return json(200, { items, next_page_token: null });
    }
    const found = kind === 'workflow' && a ? find(a) : undefined;
    if (!found) return notFound(kind === 'workflow' ? 'Workflow' : 'Resource');
    const { p, w } = found;
    if (b === 'job' && method === 'GET') {
      const items = w.jobs.map(({ steps: _s, ...j }) => ({
        ...j,
        dependencies: [],
        project_slug: p.project_slug,
      }));
      return json(200, { items, next_page_token: null });
    }
    if (method !== 'POST') return notFound('Resource');
    if (b === 'cancel') {
      for (const j of w.jobs)
        if (j.status !== 'success' && !failedStates.has(j.status)) j.status = 'canceled';
      refresh(w);
      return json(202, { message: 'Accepted.' });
    }
    if (b === 'rerun') {
      if (w.status !== 'failed') return json(400, { message: 'Workflow is not failed.' });
      const again = newWorkflow(
        w.name,
        w.jobs.map((j) => (j.status === 'success' ? { ...j } : newJob(j))),
      );
      p.workflows.push(again);
      return json(202, { workflow_id: again.id });
    }
    const job = w.jobs.find((j) => b === 'approve' && j.approval_request_id === c && j.status === 'on_hold');
    if (!job) return notFound('Approval request');
    job.status = 'success';
    refresh(w);
    return json(202, { message: 'Accepted.' });
  }

  /** `GET /api/v1.1/project/:vcs/:org/:repo/:build_num`: the job with its steps. */
  function v1(parts: string[]): Answer {
    const [kind, vcs, org, repo, num] = parts;
    const p = kind === 'project' && parts.length === 5 ? project(`${vcs}/${org}/${repo}`) : undefined;
    if (!p) return json(404, { message: 'Project not found' });
    for (const pipeline of ofProject(p)) {
      const job = pipeline.workflows.flatMap((w) => w.jobs).find((j) => String(j.job_number) === num);
      if (!job) continue;
      return json(200, {
        ...{ build_num: job.job_number, build_url: `${origin}/gh/${org}/${repo}/${num}`, status: job.status },
        ...{ subject: pipeline.vcs.commit.subject, vcs_revision: pipeline.vcs.revision },
        ...{ author_name: pipeline.author.name, author_email: pipeline.author.email },
        steps: job.steps.map((s, i) => ({
          name: s.name,
          actions: [
            {
              ...{
                name: s.name,
                status: s.status,
                failed: s.status === 'failed' ? true : null,
                has_output: true,
              },
              output_url: `${origin}/output/${job.id}/${i}?X-Amz-Signature=fake`,
            },
          ],
        })),
      });
    }
    return json(404, { message: 'Build not found' });
  }

  /** A step's pre-signed output: no token asked, JSON lines. */
  function output(parts: string[]): Answer {
    const job = pipelines.flatMap((p) => p.workflows.flatMap((w) => w.jobs)).find((j) => j.id === parts[1]);
    const step = job?.steps[Number(parts[2])];
    return step ? json(200, [{ message: step.output, time: now(), type: 'out' }]) : json(403, 'AccessDenied');
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const method = req.method ?? 'GET';
      const raw = Buffer.concat(chunks).toString('utf8');
      const call: FakeCall = { method, rawPath: req.url ?? '/', headers: req.headers, body: raw, status: 0 };
      calls.push(call);
      const send = (a: Answer) => {
        call.status = a.status;
        res.writeHead(a.status, { 'Content-Type': 'application/json', ...a.headers });
        res.end(JSON.stringify(a.body));
      };
      let body: Record<string, unknown>;
      try {
        body = raw ? JSON.parse(raw) : {};
        call.body = raw ? body : undefined;
      } catch {
        return send(json(400, { message: 'Malformed JSON body.' }));
      }
      const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      if (segments[0] === 'output') return send(output(segments));
      const failure = failures.findIndex((f) => f.match.test(`${method} ${url.pathname}`));
      if (failure !== -1) return send((failures.splice(failure, 1)[0] as { answer: Answer }).answer);
      if (!fake.tokens.includes(String(req.headers['circle-token'] ?? '')))
        return send(json(401, { message: 'Invalid token provided.' }));
      // A slug may arrive as three segments or as one with encoded slashes.
      const parts = segments.slice(2).flatMap((s) => s.split('/'));
      if (segments[0] === 'api' && segments[1] === 'v2')
        return send(v2(method, parts, body, url.searchParams));
      if (segments[0] === 'api' && segments[1] === 'v1.1' && method === 'GET') return send(v1(parts));
      send(json(404, { message: 'Not found' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: CircleciFake = {
    url: `${origin}/api/v2`,
    tokens: o.tokens ?? ['cci-test-token'],
    projects: o.projects,
    pipelines,
    calls,
    commit: { subject: 'Tune the cache', author: { name: 'Alice', email: 'alice@example.com' } },
    addPipeline(slug, ref) {
      const p = project(slug);
      if (!p) throw new Error(`no project ${slug}`);
      return create(p, ref, {});
    },
    pipeline(id) {
      const p = pipelines.find((x) => x.id === id);
      if (!p) throw new Error(`no pipeline ${id}`);
      return p;
    },
    workflowOf(pipelineId, jobName) {
      const w = fake.pipeline(pipelineId).workflows.findLast((x) => x.jobs.some((j) => j.name === jobName));
      if (!w) throw new Error(`no job ${jobName}`);
      return w;
    },
    setJob(pipelineId, jobName, status, options = {}) {
      const w = fake.workflowOf(pipelineId, jobName);
      const job = w.jobs.find((j) => j.name === jobName) as FakeJob;
      job.status = status;
      job.started_at ??= now();
      if (status !== 'running' && status !== 'on_hold') job.stopped_at = now();
      const step = (name: string, ok: boolean, output: string): FakeStep => ({
        ...{ name, status: ok ? 'success' : 'failed', output },
      });
      job.steps = [step('Spin up environment', true, 'ready\n'), step('Checkout code', true, 'done\n')];
      const last = options.failedStep ?? 'Run';
      if (failedStates.has(status)) job.steps.push(step(last, false, options.output ?? 'exit status 1\n'));
      else if (status === 'success') job.steps.push(step(last, true, options.output ?? 'ok\n'));
      refresh(w);
      return job;
    },
    failNext(match, status, body = { message: 'Something went wrong.' }, headers = {}) {
      failures.push({ match, answer: { status, body, headers } });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return fake;
}
