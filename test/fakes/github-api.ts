/**
 * A local fake of the GitHub REST API for the real `@octokit/rest` client: the Actions, branches,
 * refs, compare, Deployments and GitHub App endpoints deckhand uses, with GitHub's status codes and error
 * bodies (`{ message, documentation_url }`), a 302 to a short-lived log URL, and RS256 JWT checks.
 */
import { createHash, createPublicKey, createVerify, type KeyObject, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Answer, fail, repoRoute } from '../ci/github/fake-repo-routes.ts';

/** A job as `GET …/runs/{id}/jobs` lists it. */
export interface FakeJob {
  id: number;
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  started_at?: string;
  completed_at?: string;
  html_url?: string;
  steps: { name: string; status: string; conclusion: string | null; number: number }[];
}

export interface FakeRun {
  id: number;
  repo: string;
  path: string;
  workflow_id: number;
  head_branch: string;
  head_sha: string;
  event: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  created_at: string;
  html_url: string;
  jobs: FakeJob[];
}

/** A commit of a fake repository; `seq` orders commits oldest first. */
export interface FakeCommit {
  sha: string;
  message: string;
  author: { name: string; email: string };
  date: string;
  parents: string[];
  seq: number;
}

/** A commit of `addRepo`'s linear history, oldest first; `refs` are branches and tags placed on it. */
export interface FakeHistoryEntry {
  message: string;
  author?: string;
  refs?: string[];
}

export interface FakeRepo {
  branches: Map<string, string>;
  tags: Map<string, string>;
  /** Every commit by SHA: the history given to `addRepo`, and one root commit per other ref. */
  commits: Map<string, FakeCommit>;
  /** Workflow file name → id and declared `workflow_dispatch` inputs. */
  workflows: Map<string, { id: number; inputs: string[] }>;
}

export interface FakeDeployment {
  id: number;
  repo: string;
  ref: string;
  environment: string;
  description: string;
  payload: Record<string, unknown>;
  required_contexts: unknown;
  auto_merge: unknown;
  statuses: { state: string; description?: string; log_url?: string }[];
}

export interface FakeCall {
  method: string;
  /** The path as sent (percent-encoding kept), with the query. */
  url: string;
  auth: string | undefined;
  body: Record<string, unknown> | undefined;
  status: number;
}

/** A GitHub App the fake accepts: JWTs signed with its key, installations by repository. */
export interface FakeApp {
  id: string;
  publicKey: KeyObject;
  installations: Map<string, number>;
  /** Lifetime of installation tokens (GitHub: one hour). */
  tokenTtlMs: number;
}

export interface GithubFake {
  /** Base URL for `apiUrl`. */
  readonly url: string;
  /** Personal access tokens accepted (`Authorization: token …` or `Bearer …`). */
  tokens: Set<string>;
  app?: FakeApp;
  /** Installation tokens issued, oldest first. */
  readonly issued: { token: string; installationId: number; expiresAt: string }[];
  /** `returned`: 200 with the run id; `no-content`: 204 (older servers); `rejected`: 422 for the parameter. */
  runDetails: 'returned' | 'no-content' | 'rejected';
  /** How many run listings still answer empty (a new run takes GitHub a moment to list). */
  hideRunsFromLists: number;
  readonly repos: Map<string, FakeRepo>;
  readonly runs: FakeRun[];
  readonly dispatches: { repo: string; workflow: string; ref: string; inputs: Record<string, unknown> }[];
  readonly deployments: FakeDeployment[];
  /** Job id → its log text. */
  readonly logs: Map<number, string>;
  readonly calls: FakeCall[];
  /**
   * Adds a repository. With `history` (a line of commits on the first branch, oldest first), that
   * branch points at the last commit and each ref named in an entry's `refs` at that commit; every
   * other branch and tag gets a root commit of its own.
   */
  addRepo(
    fullName: string,
    repo: {
      branches: string[];
      tags?: string[];
      workflows: Record<string, string[]>;
      history?: FakeHistoryEntry[];
    },
  ): void;
  run(id: number | string): FakeRun | undefined;
  /** The next request whose `METHOD /path` starts with `route` fails with this status and message. */
  failNext(
    route: string,
    failure: { status: number; message?: string; headers?: Record<string, string> },
  ): void;
  close(): Promise<void>;
}

const sha = (seed: string) => createHash('sha1').update(seed).digest('hex');

/** Checks an RS256 JWT as GitHub does for an app: signature, issuer, and a lifetime of at most 10 minutes. */
function verifyJwt(token: string, app: FakeApp): string | undefined {
  const [head, body, signature] = token.split('.');
  if (!head || !body || !signature) return 'A JSON web token could not be decoded';
  const verifier = createVerify('RSA-SHA256').update(`${head}.${body}`);
  if (!verifier.verify(app.publicKey, Buffer.from(signature, 'base64url')))
    return 'A JSON web token could not be decoded';
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as {
    iss?: unknown;
    iat?: number;
    exp?: number;
  };
  const now = Math.floor(Date.now() / 1000);
  if (String(claims.iss) !== app.id) return 'Integration not found';
  if (
    !claims.exp ||
    !claims.iat ||
    claims.exp < now ||
    claims.exp - claims.iat > 660 ||
    claims.iat > now + 60
  )
    return 'A JSON web token could not be decoded';
  return undefined;
}

export async function startGithubFake(options: { tokens?: string[] } = {}): Promise<GithubFake> {
  const failures: {
    route: string;
    failure: { status: number; message?: string; headers?: Record<string, string> };
  }[] = [];
  const blobs = new Map<string, { jobId: number; expires: number }>();
  let nextId = 1000;
  let base = '';

  /** Who may call: a personal token, or an unexpired installation token of an installation on the repo. */
  const authorised = (auth: string | undefined, repo: string): boolean => {
    const token = auth?.replace(/^(token|bearer) /i, '');
    if (!token) return false;
    if (fake.tokens.has(token)) return true;
    const issued = fake.issued.find((t) => t.token === token);
    return (
      !!issued &&
      Date.parse(issued.expiresAt) > Date.now() &&
      fake.app?.installations.get(repo) === issued.installationId
    );
  };

  function appRoute(method: string, seg: string[], auth: string | undefined): Answer | undefined {
    const app = fake.app;
    const jwt = /^bearer /i.test(auth ?? '') ? (auth as string).slice(7) : '';
    if (method === 'POST' && seg[0] === 'app' && seg[1] === 'installations' && seg[3] === 'access_tokens') {
      if (!app) return fail(404, 'Not Found');
      const problem = verifyJwt(jwt, app);
      if (problem) return fail(401, problem);
      const installationId = Number(seg[2]);
      if (![...app.installations.values()].includes(installationId)) return fail(404, 'Not Found');
      const token = `ghs_${randomBytes(12).toString('hex')}`;
      const expiresAt = new Date(Date.now() + app.tokenTtlMs).toISOString().replace(/\.\d+Z$/, 'Z');
      fake.issued.push({ token, installationId, expiresAt });
      const body = {
        token,
        expires_at: expiresAt,
        permissions: { actions: 'write', deployments: 'write' },
        repository_selection: 'selected',
      };
      return { status: 201, body };
    }
    if (method === 'GET' && seg[0] === 'repos' && seg[3] === 'installation' && seg.length === 4) {
      if (!app) return fail(404, 'Not Found');
      const problem = verifyJwt(jwt, app);
      if (problem) return fail(401, problem);
      const id = app.installations.get(`${seg[1]}/${seg[2]}`.toLowerCase());
      return id ? { status: 200, body: { id, app_id: Number(app.id) } } : fail(404, 'Not Found');
    }
    return undefined;
  }

  function handle(method: string, url: URL, auth: string | undefined, body: Record<string, unknown>): Answer {
    const seg = url.pathname
      .split('/')
      .filter(Boolean)
      .map((s) => decodeURIComponent(s));
    const route = `${method} /${seg.join('/')}`;
    const scripted = failures.findIndex((f) => route.startsWith(f.route));
    if (scripted >= 0) {
      const [{ failure }] = failures.splice(scripted, 1) as [(typeof failures)[number]];
      return {
        ...fail(failure.status, failure.message ?? http.STATUS_CODES[failure.status] ?? 'Error'),
        headers: failure.headers,
      };
    }
    if (seg[0] === '_blobs') {
      const blob = blobs.get(url.searchParams.get('sig') ?? '');
      if (!blob || blob.expires < Date.now() || String(blob.jobId) !== seg[2])
        return fail(403, 'AuthenticationFailed');
      return {
        status: 200,
        body: fake.logs.get(blob.jobId) ?? '',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      };
    }
    const app = appRoute(method, seg, auth);
    if (app) return app;
    if (seg[0] !== 'repos' || seg.length < 4) return fail(404, 'Not Found');
    if (!authorised(auth, `${seg[1]}/${seg[2]}`.toLowerCase())) return fail(401, 'Bad credentials');
    return repoRoute({ fake, base, nextId: () => nextId++, blobs }, method, seg, url.searchParams, body);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> = {};
      let answer: Answer;
      try {
        body = raw ? JSON.parse(raw) : {};
        answer = handle(req.method ?? 'GET', new URL(req.url ?? '/', base), req.headers.authorization, body);
      } catch {
        answer = fail(400, 'Problems parsing JSON');
      }
      fake.calls.push({
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        auth: req.headers.authorization,
        body: raw ? body : undefined,
        status: answer.status,
      });
      const text =
        typeof answer.body === 'string'
          ? answer.body
          : answer.body === undefined
            ? ''
            : JSON.stringify(answer.body);
      const type =
        typeof answer.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
      res.writeHead(answer.status, { ...(text ? { 'content-type': type } : {}), ...answer.headers });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: GithubFake = {
    url: base,
    tokens: new Set(options.tokens ?? ['ghp_test']),
    issued: [],
    runDetails: 'returned',
    hideRunsFromLists: 0,
    repos: new Map(),
    runs: [],
    dispatches: [],
    deployments: [],
    logs: new Map(),
    calls: [],
    addRepo(fullName, spec) {
      const workflows = new Map(
        Object.entries(spec.workflows).map(([file, inputs]) => [file, { id: nextId++, inputs }]),
      );
      const commits = new Map<string, FakeCommit>();
      const add = (message: string, author: string, parents: string[], seed: string) => {
        const seq = commits.size;
        const date = new Date(Date.UTC(2024, 0, 1) + seq * 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
        const email = `${author.toLowerCase().replace(/\W+/g, '.')}@example.com`;
        const commit = { sha: sha(seed), message, author: { name: author, email }, date, parents, seq };
        commits.set(commit.sha, commit);
        return commit.sha;
      };
      const placed = new Map<string, string>();
      let head: string | undefined;
      for (const [i, entry] of (spec.history ?? []).entries()) {
        head = add(entry.message, entry.author ?? 'Dev', head ? [head] : [], `${fullName}#${i}`);
        for (const ref of entry.refs ?? []) placed.set(ref, head);
      }
      const tip = (name: string, seed: string, first: boolean) =>
        placed.get(name) ?? (first ? head : undefined) ?? add(`Tip of ${name}`, 'Dev', [], seed);
      fake.repos.set(fullName.toLowerCase(), {
        branches: new Map(spec.branches.map((b, i) => [b, tip(b, `${fullName}:${b}`, i === 0)])),
        tags: new Map((spec.tags ?? []).map((t) => [t, tip(t, `${fullName}@${t}`, false)])),
        commits,
        workflows,
      });
    },
    run: (id) => fake.runs.find((r) => String(r.id) === String(id)),
    failNext(route, failure) {
      failures.push({ route, failure });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return fake;
}

/** The public half of a PEM private key, for `FakeApp.publicKey`. */
export const publicKeyOf = (privateKeyPem: string): KeyObject => createPublicKey(privateKeyPem);
