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

function example(event: string, pick: (e: Payload) => boolean): Payload {
  const found = examples.find((e) => e.name === event)?.examples.find(pick);
  if (!found) throw new Error(`no ${event} example matches`);
  const payload = structuredClone(found);
  payload.repository = { ...payload.repository, full_name: 'org/app', name: 'app' };
  return payload;
}

function workflowRun(action: string, conclusion: string | null): string {
  const p = example(
    'workflow_run',
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

function workflowJob(action: string, status: string, conclusion: string | null): string {
  const p = example('workflow_job', (e) => e.action === action);
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
const lifecycle = () => [
  { event: 'workflow_run', body: workflowRun('requested', null) },
  { event: 'workflow_job', body: workflowJob('in_progress', 'in_progress', null) },
  { event: 'workflow_job', body: workflowJob('completed', 'completed', 'success') },
  { event: 'workflow_run', body: workflowRun('completed', 'success') },
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
export function deliveries(runs: number, block = 250) {
  const templates = lifecycle();
  const total = runs * eventsPerRun;
  return {
    total,
    runIds: Array.from({ length: runs }, (_, i) => firstRunId + i),
    jobId: (runId: number) => runId + 500_000_000,
    /** The n-th delivery of the stream (0-based). */
    at(n: number): Delivery {
      const blockStart = Math.floor(n / (block * eventsPerRun)) * block;
      const size = Math.min(block, runs - blockStart);
      const within = n - blockStart * eventsPerRun;
      const phase = Math.floor(within / size);
      const runId = firstRunId + blockStart + (within % size);
      const template = templates[phase] as { event: string; body: string };
      const body = template.body.replace(markers, (m) =>
        String(Number(m) === RUN_ID ? runId : runId + 500_000_000),
      );
      const signature = `sha256=${createHmac('sha256', webhookSecret).update(body).digest('hex')}`;
      return { event: template.event, delivery: `bench-${runId}-${phase}`, body, signature };
    },
  };
}
