/**
 * GitHub Actions deliveries for load: real `workflow_run` and `workflow_job` payloads from
 * `@octokit/webhooks-examples`, moved to `org/app`'s build workflow, with run, job and delivery
 * ids varied per synthetic run and each body signed as GitHub signs it.
 */
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { webhookSecret } from './config.ts';

// biome-ignore lint/suspicious/noExplicitAny: example payloads are adjusted field by field.
type Payload = Record<string, any>;

const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as {
  name: string;
  examples: Payload[];
}[];

const RUN_ID = 987_650_000_001;
const JOB_ID = 987_650_000_002;
const markers = new RegExp(`${RUN_ID}|${JOB_ID}`, 'g');

function example(event: string, repo: string, pick: (e: Payload) => boolean): Payload {
  const found = examples.find((e) => e.name === event)?.examples.find(pick);
  if (!found) throw new Error(`no ${event} example matches`);
  const payload = structuredClone(found);
  payload.repository = { ...payload.repository, full_name: repo, name: repo.split('/')[1] };
  return payload;
}

function workflowRun(repo: string, action: string, conclusion: string | null): string {
  const p = example(
    'workflow_run',
    repo,
    (e) => e.action === action && (e.workflow_run?.conclusion ?? null) === conclusion,
  );
  Object.assign(p.workflow_run, {
    id: RUN_ID,
    path: '.github/workflows/build.yml',
    head_branch: 'main',
    run_started_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:01:30Z',
  });
  return JSON.stringify(p);
}

function workflowJob(repo: string, action: string, status: string, conclusion: string | null): string {
  const p = example('workflow_job', repo, (e) => e.action === action);
  Object.assign(p.workflow_job, {
    id: JOB_ID,
    run_id: RUN_ID,
    name: 'build',
    head_branch: 'main',
    status,
    conclusion,
    started_at: '2026-01-01T00:00:05Z',
    completed_at: conclusion ? '2026-01-01T00:01:25Z' : null,
  });
  return JSON.stringify(p);
}

/** One synthetic run's deliveries, in the order GitHub sends them. */
const lifecycle = (repo: string) => [
  { event: 'workflow_run', body: workflowRun(repo, 'requested', null) },
  { event: 'workflow_job', body: workflowJob(repo, 'in_progress', 'in_progress', null) },
  { event: 'workflow_job', body: workflowJob(repo, 'completed', 'completed', 'success') },
  { event: 'workflow_run', body: workflowRun(repo, 'completed', 'success') },
];

export const eventsPerRun = 4;
export const firstRunId = 7_000_000_001;

export interface Delivery {
  event: string;
  delivery: string;
  body: string;
  signature: string;
}

/**
 * Deliveries for `runs` runs, generated on demand. Runs go in blocks: every run of a block is
 * requested, then every job starts, finishes, and every run completes, so the deliveries about
 * one run are far apart in the stream (as when many runs are under way at once).
 */
export function deliveries(runs: number, o: { block?: number; repo?: string; first?: number } = {}) {
  const block = o.block ?? 250;
  const first = o.first ?? firstRunId;
  // Each body split once at its id markers, so a delivery is a join and an HMAC, not a regex pass.
  const templates = lifecycle(o.repo ?? 'org/app').map(({ event, body }) => ({
    event,
    parts: body.split(markers),
    ids: [...body.matchAll(markers)].map((m) => Number(m[0]) === RUN_ID),
  }));
  const total = runs * eventsPerRun;
  return {
    total,
    runIds: Array.from({ length: runs }, (_, i) => first + i),
    jobId: (runId: number) => runId + 500_000_000,
    /** The n-th delivery of the stream (0-based). */
    at(n: number): Delivery {
      const blockStart = Math.floor(n / (block * eventsPerRun)) * block;
      const size = Math.min(block, runs - blockStart);
      const within = n - blockStart * eventsPerRun;
      const phase = Math.floor(within / size);
      const runId = first + blockStart + (within % size);
      const template = templates[phase] as (typeof templates)[number];
      let body = template.parts[0] as string;
      for (let i = 0; i < template.ids.length; i++)
        body += String(template.ids[i] ? runId : runId + 500_000_000) + template.parts[i + 1];
      const signature = `sha256=${createHmac('sha256', webhookSecret).update(body).digest('hex')}`;
      return { event: template.event, delivery: `bench-${runId}-${phase}`, body, signature };
    },
  };
}
