/**
 * The repository endpoints of the GitHub fake (test/fakes/github-api.ts): branches, refs, compare,
 * workflow dispatch and runs, jobs and their logs (a 302 to a short-lived URL), deployments and statuses.
 */
import { randomBytes } from 'node:crypto';
import type { FakeCommit, FakeDeployment, FakeRepo, GithubFake } from '../../fakes/github-api.ts';

export type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

/** GitHub's error body. */
export const fail = (status: number, message: string): Answer => ({
  status,
  body: { message, documentation_url: 'https://docs.github.com/rest' },
});

const web = 'https://github.example.com';

/** What the routes share with the server. */
export interface RouteState {
  fake: GithubFake;
  base: string;
  nextId(): number;
  /** Signed log URLs handed out: signature → job and expiry. */
  blobs: Map<string, { jobId: number; expires: number }>;
}

/** The commit a branch, a tag or an abbreviated SHA names. */
export const refSha = (repo: FakeRepo, ref: string) =>
  repo.branches.get(ref) ??
  repo.tags.get(ref) ??
  [...repo.branches.values(), ...repo.tags.values(), ...repo.commits.keys()].find(
    (sha) => sha.startsWith(ref) && ref.length >= 7,
  );

/** A commit and everything it descends from. */
function ancestry(repo: FakeRepo, sha: string): Set<string> {
  const seen = new Set<string>();
  const todo = [sha];
  for (let next = todo.pop(); next !== undefined; next = todo.pop()) {
    if (seen.has(next)) continue;
    seen.add(next);
    todo.push(...(repo.commits.get(next)?.parents ?? []));
  }
  return seen;
}

/** A commit as the Commits and Compare endpoints show it. */
function commitJson(s: RouteState, name: string, c: FakeCommit) {
  const api = `${s.base}/repos/${name}`;
  const person = { ...c.author, date: c.date };
  return {
    sha: c.sha,
    node_id: Buffer.from(`Commit:${c.sha}`).toString('base64'),
    commit: {
      author: person,
      committer: person,
      message: c.message,
      tree: { sha: c.sha.split('').reverse().join(''), url: `${api}/git/trees/${c.sha}` },
      url: `${api}/git/commits/${c.sha}`,
      comment_count: 0,
    },
    url: `${api}/commits/${c.sha}`,
    html_url: `${web}/${name}/commit/${c.sha}`,
    comments_url: `${api}/commits/${c.sha}/comments`,
    author: { login: c.author.name.toLowerCase().replace(/\W+/g, '-'), id: c.seq + 1, type: 'User' },
    committer: null,
    parents: c.parents.map((p) => ({
      sha: p,
      url: `${api}/commits/${p}`,
      html_url: `${web}/${name}/commit/${p}`,
    })),
  };
}

/**
 * `GET /repos/{o}/{r}/compare/{base}...{head}`: what `git log base..head` lists, oldest first. Without
 * `per_page` or `page` at most 250 commits, the last being the newest; with them, one page.
 */
function compare(
  s: RouteState,
  repo: FakeRepo,
  name: string,
  basehead: string,
  query: URLSearchParams,
): Answer {
  const ends = basehead.split('...');
  const [base, head] = ends.map((ref) => refSha(repo, ref));
  if (ends.length !== 2 || !base || !head) return fail(404, 'Not Found');
  const before = ancestry(repo, base);
  const after = ancestry(repo, head);
  const common = [...after].filter((sha) => before.has(sha));
  const byAge = (a: FakeCommit, b: FakeCommit) => a.seq - b.seq;
  const known = (sha: string) => repo.commits.get(sha) as FakeCommit;
  const mergeBase = common.map(known).sort(byAge).at(-1);
  if (!mergeBase) return fail(404, `No common ancestor between ${ends[0]} and ${ends[1]}.`);
  const ahead = [...after]
    .filter((sha) => !before.has(sha))
    .map(known)
    .sort(byAge);
  const behind = [...before].filter((sha) => !after.has(sha)).length;
  let listed = ahead.slice(-250);
  const headers: Record<string, string> = {};
  if (query.has('per_page') || query.has('page')) {
    const perPage = Math.min(Number(query.get('per_page') ?? 30), 100);
    const page = Number(query.get('page') ?? 1);
    listed = ahead.slice((page - 1) * perPage, page * perPage);
    if (page * perPage < ahead.length)
      headers.link = `<${s.base}/repos/${name}/compare/${encodeURIComponent(basehead)}?per_page=${perPage}&page=${page + 1}>; rel="next"`;
  }
  const status =
    ahead.length && behind ? 'diverged' : ahead.length ? 'ahead' : behind ? 'behind' : 'identical';
  const page = `${web}/${name}/compare/${basehead}`;
  const body = {
    url: `${s.base}/repos/${name}/compare/${basehead}`,
    html_url: page,
    permalink_url: `${web}/${name}/compare/${base}...${head}`,
    diff_url: `${page}.diff`,
    patch_url: `${page}.patch`,
    base_commit: commitJson(s, name, known(base)),
    merge_base_commit: commitJson(s, name, mergeBase),
    status,
    ahead_by: ahead.length,
    behind_by: behind,
    total_commits: ahead.length,
    commits: listed.map((c) => commitJson(s, name, c)),
    files: [],
  };
  return { status: 200, body, headers };
}

export function repoRoute(
  s: RouteState,
  method: string,
  seg: string[],
  query: URLSearchParams,
  body: Record<string, unknown>,
): Answer {
  const [, o = '', r = '', area, ...rest] = seg;
  const name = `${o}/${r}`.toLowerCase();
  const { fake, blobs } = s;
  const repo = fake.repos.get(name);
  if (!repo) return fail(404, 'Not Found');
  const path = `${method} ${[area, ...rest].join('/')}`;
  const run = (id: string | undefined) => fake.runs.find((x) => String(x.id) === id && x.repo === name);
  if (path === 'GET branches') {
    const perPage = Math.min(Number(query.get('per_page') ?? 30), 100);
    const page = Number(query.get('page') ?? 1);
    const all = [...repo.branches].map(([b, s]) => ({ name: b, commit: { sha: s }, protected: false }));
    const headers: Record<string, string> = {};
    if (page * perPage < all.length)
      headers.link = `<${s.base}/repos/${o}/${r}/branches?per_page=${perPage}&page=${page + 1}>; rel="next"`;
    return { status: 200, body: all.slice((page - 1) * perPage, page * perPage), headers };
  }
  if (method === 'GET' && area === 'git' && rest[0] === 'ref') {
    const ref = rest.slice(1).join('/');
    const [kind, ...nameParts] = ref.split('/');
    const found = (kind === 'heads' ? repo.branches : kind === 'tags' ? repo.tags : undefined)?.get(
      nameParts.join('/'),
    );
    return found
      ? { status: 200, body: { ref: `refs/${ref}`, object: { sha: found, type: 'commit' } } }
      : fail(404, 'Not Found');
  }
  if (method === 'GET' && area === 'compare' && rest.length >= 1) {
    // `basehead` arrives as one encoded segment (`release%2F1.0...main`) or with raw slashes.
    return compare(s, repo, `${o}/${r}`, rest.join('/'), query);
  }
  if (method === 'GET' && area === 'commits' && rest.length === 1) {
    const found = refSha(repo, rest[0] as string);
    return found ? { status: 200, body: { sha: found } } : fail(422, `No commit found for SHA: ${rest[0]}`);
  }
  if (method === 'POST' && area === 'actions' && rest[0] === 'workflows' && rest[2] === 'dispatches') {
    const file = rest[1] as string;
    const workflow =
      repo.workflows.get(file) ?? [...repo.workflows.values()].find((w) => String(w.id) === file);
    if (!workflow) return fail(404, 'Not Found');
    if ('return_run_details' in body && fake.runDetails === 'rejected')
      return fail(422, 'Invalid request.\n\n"return_run_details" is not a permitted key.');
    const ref = String(body.ref ?? '');
    const head = repo.branches.get(ref) ?? repo.tags.get(ref);
    if (!head) return fail(422, `No ref found for: ${ref}`);
    const inputs = (body.inputs ?? {}) as Record<string, unknown>;
    const unexpected = Object.keys(inputs).filter((k) => !workflow.inputs.includes(k));
    if (unexpected.length) return fail(422, `Unexpected inputs provided: ${JSON.stringify(unexpected)}`);
    if (Object.keys(inputs).length > 25) return fail(422, 'you may only define up to 25 `inputs`');
    fake.dispatches.push({ repo: name, workflow: file, ref, inputs });
    const id = s.nextId();
    const wfFile = [...repo.workflows].find(([, w]) => w === workflow)?.[0];
    fake.runs.push({
      id,
      repo: name,
      path: `.github/workflows/${wfFile}`,
      workflow_id: workflow.id,
      head_branch: ref,
      head_sha: head,
      event: 'workflow_dispatch',
      status: 'queued',
      conclusion: null,
      created_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      html_url: `${web}/${name}/actions/runs/${id}`,
      jobs: [],
    });
    if (body.return_run_details === true && fake.runDetails === 'returned') {
      const details = {
        workflow_run_id: id,
        run_url: `${s.base}/repos/${name}/actions/runs/${id}`,
        html_url: `${web}/${name}/actions/runs/${id}`,
      };
      return { status: 200, body: details };
    }
    return { status: 204 };
  }
  if (method === 'GET' && area === 'actions' && rest[0] === 'workflows' && rest[2] === 'runs') {
    const workflow = repo.workflows.get(rest[1] as string);
    if (!workflow) return fail(404, 'Not Found');
    if (fake.hideRunsFromLists > 0) {
      fake.hideRunsFromLists--;
      return { status: 200, body: { total_count: 0, workflow_runs: [] } };
    }
    const since = query.get('created')?.replace(/^>=/, '');
    const list = fake.runs
      .filter((x) => x.repo === name && x.workflow_id === workflow.id)
      .filter((x) => !query.get('event') || x.event === query.get('event'))
      .filter((x) => !query.get('branch') || x.head_branch === query.get('branch'))
      .filter((x) => !since || Date.parse(x.created_at) >= Date.parse(since))
      .sort((a, b) => b.id - a.id)
      .map(({ jobs: _jobs, repo: _repo, ...shown }) => shown);
    return { status: 200, body: { total_count: list.length, workflow_runs: list } };
  }
  if (area === 'actions' && rest[0] === 'runs') {
    const found = run(rest[1]);
    if (!found) return fail(404, 'Not Found');
    const action = `${method} ${rest[2] ?? ''}`;
    if (action === 'GET ') return { status: 200, body: { ...found, jobs: undefined } };
    if (action === 'GET jobs')
      return { status: 200, body: { total_count: found.jobs.length, jobs: found.jobs } };
    if (action === 'POST cancel') {
      if (found.status === 'completed') return fail(409, 'Cannot cancel a workflow run that is completed.');
      Object.assign(found, { status: 'completed', conclusion: 'cancelled' });
      return { status: 202, body: {} };
    }
    if (action === 'POST rerun-failed-jobs') {
      if (found.status !== 'completed') return fail(403, 'This workflow is already running');
      Object.assign(found, { status: 'queued', conclusion: null });
      return { status: 201, body: {} };
    }
  }
  if (path.startsWith('GET actions/jobs/') && rest[2] === 'logs') {
    const jobId = Number(rest[1]);
    if (!fake.runs.some((x) => x.repo === name && x.jobs.some((j) => j.id === jobId)))
      return fail(404, 'Not Found');
    const sig = randomBytes(8).toString('hex');
    blobs.set(sig, { jobId, expires: Date.now() + 60_000 });
    return { status: 302, headers: { location: `${s.base}/_blobs/logs/${jobId}?sig=${sig}` } };
  }
  if (path === 'POST deployments') {
    const ref = String(body.ref ?? '');
    const found = refSha(repo, ref);
    if (!found) return fail(422, `No ref found for: ${ref}`);
    const deployment: FakeDeployment = {
      id: s.nextId(),
      repo: name,
      ref,
      environment: String(body.environment ?? 'production'),
      description: String(body.description ?? ''),
      payload: (body.payload ?? {}) as Record<string, unknown>,
      required_contexts: body.required_contexts,
      auto_merge: body.auto_merge,
      statuses: [],
    };
    fake.deployments.push(deployment);
    const { statuses: _s, ...shown } = deployment;
    return { status: 201, body: { ...shown, sha: found, task: 'deploy' } };
  }
  if (method === 'POST' && area === 'deployments' && rest[1] === 'statuses') {
    const deployment = fake.deployments.find((d) => String(d.id) === rest[0] && d.repo === name);
    if (!deployment) return fail(404, 'Not Found');
    const states = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'];
    if (!states.includes(String(body.state))) return fail(422, 'Validation Failed');
    const status = {
      state: String(body.state),
      description: body.description as string | undefined,
      log_url: body.log_url as string | undefined,
    };
    deployment.statuses.push(status);
    return { status: 201, body: { id: s.nextId(), ...status } };
  }
  return fail(404, 'Not Found');
}
