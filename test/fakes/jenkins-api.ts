/**
 * A local fake of the Jenkins remote access API (https://www.jenkins.io/doc/book/using/remote-access-api/)
 * for the adapter's `fetch` client: Basic auth with API tokens (401 otherwise); jobs in folders and
 * multibranch projects (`/job/a/job/b/`, 404 when unknown); `build`/`buildWithParameters` → 201 with
 * a queue item `Location`; queue items that become builds after `queuePolls` polls; builds that run
 * for `runningPolls` polls of their JSON, then end with their scripted result; Pipeline stages
 * through `wfapi`; progressive logs with `X-Text-Size`/`X-More-Data`; `stop`; recorded calls.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Pipeline stage a scripted build reports through `wfapi`, and its steps. */
export interface FakeStage {
  name: string;
  /** Final status (default SUCCESS): SUCCESS, FAILED, UNSTABLE, ABORTED, NOT_EXECUTED… */
  status?: string;
  steps?: { name: string; status: string; parameterDescription?: string; error?: string }[];
}

/** How the next builds of a job behave. */
export interface FakeScript {
  result: 'SUCCESS' | 'FAILURE' | 'UNSTABLE' | 'ABORTED' | 'NOT_BUILT';
  /** Polls of the build's JSON that still see it running (default 2). */
  runningPolls?: number;
  /** Keep running until `complete()` is called. */
  hold?: boolean;
  log?: string[];
  stages?: FakeStage[];
  commit?: { sha: string; message: string; author: string; authorEmail: string };
  tests?: { total: number; failed: number; skipped: number };
}

type Kind = 'folder' | 'multibranch' | 'pipeline' | 'freestyle';

/** One build of a fake job. */
export interface FakeBuild {
  number: number;
  params: Record<string, string>;
  script: FakeScript;
  polls: number;
  /** progressiveText requests so far: a running build's log grows by a line with each. */
  logReads: number;
  result: string | null;
}

interface FakeJob {
  kind: Kind;
  children: Map<string, FakeJob>;
  script: FakeScript;
  builds: FakeBuild[];
}

interface QueueItem {
  id: number;
  job: string;
  params: Record<string, string>;
  polls: number;
  cancelled: boolean;
  number?: number;
}

/** A request the fake received: raw path and query, the job it addressed, its form, the answer. */
export interface JenkinsFakeCall {
  method: string;
  url: string;
  job?: string;
  form: Record<string, string>;
  status: number;
}

export interface JenkinsFake {
  /** Base URL (JENKINS_URL). */
  readonly url: string;
  /** user → API token. */
  users: Record<string, string>;
  /** Polls of a queue item before it becomes a build (default 2). */
  queuePolls: number;
  /** New queue items are cancelled (as when someone cancels them in Jenkins). */
  cancelQueue: boolean;
  readonly calls: JenkinsFakeCall[];
  /** Adds a job; folders on the way are created. */
  addJob(path: string, kind: Kind, script?: FakeScript): void;
  /** Adds branch jobs to a multibranch project, named as the Branch API names them (`feature%2Fx`). */
  addBranches(project: string, branches: string[]): void;
  /** Sets how the next builds of a job (and of its branch jobs) behave. */
  script(path: string, script: FakeScript): void;
  build(path: string, number: number): FakeBuild | undefined;
  /** Ends a held build with `result` (default its scripted result). */
  complete(path: string, number: number, result?: string): void;
  /** The next request whose path matches answers `status`. */
  failNext(status: number, path?: RegExp): void;
  close(): Promise<void>;
}

type Answer = { status: number; body?: unknown; text?: Buffer | string; headers?: Record<string, string> };

const classes: Record<Kind, string> = {
  folder: 'com.cloudbees.hudson.plugins.folder.Folder',
  multibranch: 'org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject',
  pipeline: 'org.jenkinsci.plugins.workflow.job.WorkflowJob',
  freestyle: 'hudson.model.FreeStyleProject',
};
const notFound: Answer = { status: 404, text: '<html><body><h2>HTTP ERROR 404 Not Found</h2></body></html>' };
const ok = (body: unknown): Answer => ({ status: 200, body });
const running = (b: FakeBuild) => b.result === null;
const newJob = (
  kind: Kind,
  script: FakeScript = { result: 'SUCCESS', log: ['Finished: SUCCESS'] },
): FakeJob => ({
  kind,
  children: new Map(),
  script,
  builds: [],
});

/** `GET {job}/{n}/api/json`: each call moves a running build on by one poll. */
function buildJson(b: FakeBuild, kind: Kind, url: string) {
  if (running(b) && !b.script.hold && ++b.polls > (b.script.runningPolls ?? 2)) b.result = b.script.result;
  const c = b.script.commit;
  const t = b.script.tests;
  const items = c
    ? [{ commitId: c.sha, msg: c.message, authorEmail: c.authorEmail, author: { fullName: c.author } }]
    : [];
  const actions: object[] = [
    { causes: [{ userId: 'deckhand', userName: 'deckhand', shortDescription: 'Started by user deckhand' }] },
    { parameters: Object.entries(b.params).map(([name, value]) => ({ name, value })) },
    {},
  ];
  if (c) actions.push({ lastBuiltRevision: { SHA1: c.sha, branch: [{ SHA1: c.sha, name: 'origin/main' }] } });
  if (t && !running(b)) actions.push({ failCount: t.failed, skipCount: t.skipped, totalCount: t.total });
  const changes = kind === 'freestyle' ? { changeSet: { items } } : { changeSets: c ? [{ items }] : [] };
  const duration = running(b) ? 0 : 4200;
  return { number: b.number, url, result: b.result, building: running(b), duration, actions, ...changes };
}

/** `wfapi` stages: the first in progress while the build runs, their scripted status once it ends. */
function stagesOf(b: FakeBuild) {
  return (b.script.stages ?? []).map((s, i) => ({
    id: String(10 + i * 10),
    name: s.name,
    status: running(b) ? (i === 0 ? 'IN_PROGRESS' : 'NOT_EXECUTED') : (s.status ?? 'SUCCESS'),
    durationMillis: running(b) ? 0 : 1000,
  }));
}

/** `execution/node/{id}/wfapi/describe`: a stage with its steps. */
function stageNode(b: FakeBuild, id: string): Answer {
  const stage = stagesOf(b).find((s) => s.id === id);
  if (!stage) return notFound;
  const steps = (b.script.stages ?? []).find((s) => s.name === stage.name)?.steps ?? [];
  const stageFlowNodes = steps.map((s, i) => ({
    id: `${id}${i + 1}`,
    name: s.name,
    status: s.status,
    parameterDescription: s.parameterDescription,
    ...(s.error ? { error: { message: s.error, type: 'hudson.AbortException' } } : {}),
  }));
  return ok({ ...stage, stageFlowNodes });
}

/** `logText/progressiveText?start=N`: bytes from N (from 0 when N is past the end, as Jenkins does). */
function progressiveText(b: FakeBuild, startParam: string | null): Answer {
  const lines = b.script.log ?? [];
  const shown = running(b) ? lines.slice(0, Math.ceil(lines.length / 2) + b.logReads++) : lines;
  const log = Buffer.from(shown.map((l) => `${l}\n`).join(''), 'utf8');
  let start = Number(startParam ?? 0);
  if (!Number.isFinite(start) || start > log.length) start = 0;
  const headers: Record<string, string> = { 'x-text-size': String(log.length), 'content-type': 'text/plain' };
  if (running(b)) headers['x-more-data'] = 'true';
  return { status: 200, text: log.subarray(start), headers };
}

/** Starts the fake on 127.0.0.1 on a random port. */
export async function startJenkinsFake(
  options: { users?: Record<string, string> } = {},
): Promise<JenkinsFake> {
  const root = newJob('folder');
  const queue = new Map<number, QueueItem>();
  const failures: { status: number; path?: RegExp }[] = [];
  let nextQueueId = 100;

  const find = (path: string) =>
    path.split('/').reduce<FakeJob | undefined>((job, name) => job?.children.get(name), root);
  const jobUrl = (path: string) =>
    `${fake.url}${path
      .split('/')
      .map((n) => `/job/${encodeURIComponent(n)}`)
      .join('')}/`;

  const queueRoute = (method: string, url: URL, rest: string[]): Answer => {
    const item = rest[0] === 'queue' && rest[1] === 'item' ? queue.get(Number(rest[2])) : undefined;
    if (method === 'GET' && item && rest[3] === 'api') {
      if (!item.cancelled && item.number === undefined && ++item.polls > fake.queuePolls) {
        const job = find(item.job) as FakeJob;
        item.number = job.builds.length + 1;
        job.builds.push({
          number: item.number,
          params: item.params,
          script: job.script,
          polls: 0,
          logReads: 0,
          result: null,
        });
      }
      const executable =
        item.number === undefined ? null : { number: item.number, url: `${jobUrl(item.job)}${item.number}/` };
      const why = executable ? null : 'Waiting for next available executor';
      return ok({ id: item.id, cancelled: item.cancelled, why, executable });
    }
    if (method === 'POST' && rest.join('/') === 'queue/cancelItem') {
      const target = queue.get(Number(url.searchParams.get('id')));
      if (target && target.number === undefined) target.cancelled = true;
      return { status: 302, headers: { location: `${fake.url}/queue/` } };
    }
    return notFound;
  };

  const jobRoute = (
    method: string,
    url: URL,
    path: string,
    rest: string[],
    form: Record<string, string>,
  ): Answer => {
    const job = find(path);
    if (!job) return notFound;
    const [first, ...more] = rest;
    if (first === undefined || (first === 'api' && more[0] === 'json')) {
      if (method !== 'GET') return { status: 405 };
      return ok({
        _class: classes[job.kind],
        name: path.split('/').at(-1),
        jobs: [...job.children.keys()].map((name) => ({ name })),
      });
    }
    if (first === 'build' || first === 'buildWithParameters') {
      if (method !== 'POST') return { status: 405, text: 'This URL requires POST' };
      if (job.kind === 'folder' || job.kind === 'multibranch')
        return { status: 400, text: 'Not a buildable job' };
      const id = nextQueueId++;
      const params = { ...Object.fromEntries(url.searchParams), ...form };
      queue.set(id, { id, job: path, params, polls: 0, cancelled: fake.cancelQueue });
      return { status: 201, headers: { location: `${fake.url}/queue/item/${id}/` } };
    }
    const b = job.builds.find((x) => x.number === Number(first));
    const tail = more.join('/');
    const node = /^execution\/node\/(\d+)\/wfapi\/describe$/.exec(tail);
    const pipeline = job.kind === 'pipeline';
    if (!b) return notFound;
    if (method === 'GET' && tail === 'api/json')
      return ok(buildJson(b, job.kind, `${jobUrl(path)}${b.number}/`));
    if (method === 'GET' && tail === 'wfapi/describe' && pipeline)
      return ok({ id: `${b.number}`, stages: stagesOf(b) });
    if (method === 'GET' && node && pipeline) return stageNode(b, node[1] as string);
    if (method === 'GET' && tail === 'logText/progressiveText')
      return progressiveText(b, url.searchParams.get('start'));
    if (method === 'POST' && tail === 'stop') {
      if (running(b)) b.result = 'ABORTED';
      return { status: 302, headers: { location: `${jobUrl(path)}${b.number}/` } };
    }
    return notFound;
  };

  const answer = (
    req: http.IncomingMessage,
    url: URL,
    names: string[],
    rest: string[],
    form: Record<string, string>,
  ) => {
    const auth = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString(
      'utf8',
    );
    const [user, token] = auth.split(':');
    if (!user || fake.users[user] === undefined || fake.users[user] !== token) {
      const headers = { 'www-authenticate': 'Basic realm="Jenkins"' };
      return { status: 401, text: `Invalid password/token for user: ${user ?? ''}`, headers };
    }
    const failure = failures.findIndex((f) => !f.path || f.path.test(url.pathname));
    if (failure !== -1)
      return { status: failures.splice(failure, 1)[0]?.status ?? 500, text: 'scripted failure' };
    const method = req.method ?? 'GET';
    return names.length === 0
      ? queueRoute(method, url, rest)
      : jobRoute(method, url, names.join('/'), rest, form);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', fake.url);
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const segments = url.pathname.split('/').filter(Boolean);
      const names: string[] = [];
      let i = 0;
      for (; segments[i] === 'job' && segments[i + 1] !== undefined; i += 2)
        names.push(decodeURIComponent(segments[i + 1] as string));
      const a: Answer = answer(req, url, names, segments.slice(i), form);
      const job = names.join('/') || undefined;
      fake.calls.push({ method: req.method ?? 'GET', url: req.url ?? '', job, form, status: a.status });
      const json = a.body !== undefined;
      res.writeHead(a.status, {
        'content-type': json ? 'application/json;charset=utf-8' : 'text/html',
        ...a.headers,
      });
      res.end(json ? JSON.stringify(a.body) : (a.text ?? ''));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const fake: JenkinsFake = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    users: options.users ?? { deckhand: 'api-token-1234' },
    queuePolls: 2,
    cancelQueue: false,
    calls: [],
    addJob(path, kind, script) {
      const names = path.split('/');
      const parent = names.slice(0, -1).reduce((job, name) => {
        if (!job.children.has(name)) job.children.set(name, newJob('folder'));
        return job.children.get(name) as FakeJob;
      }, root);
      parent.children.set(names.at(-1) as string, newJob(kind, script));
    },
    addBranches(project, branches) {
      const job = find(project) as FakeJob;
      for (const b of branches)
        job.children.set(b.replaceAll('%', '%25').replaceAll('/', '%2F'), newJob('pipeline', job.script));
    },
    script(path, script) {
      const job = find(path) as FakeJob;
      job.script = script;
      for (const child of job.children.values()) child.script = script;
    },
    build: (path, number) => find(path)?.builds.find((b) => b.number === number),
    complete(path, number, result) {
      const b = fake.build(path, number);
      if (b && running(b)) b.result = result ?? b.script.result;
    },
    failNext(status, path) {
      failures.push({ status, path });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}
