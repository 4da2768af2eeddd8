/**
 * Webhook ingestion: signed GitHub `workflow_run` / `workflow_job` deliveries at full load (50
 * connections), each verified, deduplicated (its delivery id claimed on disk before the answer)
 * and applied to its run, which is recorded, started, stepped and finished — with the run's
 * Slack message queued. Reported: deliveries accepted per second, and deliveries per second
 * until every run's final state is in the database.
 */
import type autocannon from 'autocannon';
import { type GithubFake, startGithubFake } from '../test/fakes/github-api.ts';
import { countRows } from './lib/audit.ts';
import { startServer } from './lib/child.ts';
import { benchSlackFake, tempDir } from './lib/config.ts';
import { deliveries, eventsPerRun } from './lib/github.ts';
import { measure } from './lib/load.ts';
import { round } from './lib/stats.ts';

export interface IngestResult {
  /** Deliveries answered 202 per second: verified, deduplicated, claim on disk, then applied. */
  events_per_s: number;
  /** The webhook path alone: deliveries about a repository no pipeline uses, answered 200 per
   * second once verified, parsed and their claim on disk (nothing to apply). */
  verify_dedupe_per_s: number;
  /** Deliveries per second until every run's final state was stored. */
  processed_events_per_s: number;
  events: number;
  p99_ms: number;
  refused: number;
  runs_final: number;
  postgres: string;
}

/** Runs measured (four deliveries each); `BENCH_INGEST_RUNS` overrides. */
const runsMeasured = () => Number(process.env.BENCH_INGEST_RUNS) || 5000;

function addRuns(fake: GithubFake, runIds: number[], jobId: (run: number) => number) {
  const workflow = fake.repos.get('org/app')?.workflows.get('build.yml');
  for (const id of runIds) {
    fake.runs.push({
      id,
      repo: 'org/app',
      path: '.github/workflows/build.yml',
      workflow_id: workflow?.id ?? 1,
      head_branch: 'main',
      head_sha: 'a'.repeat(40),
      event: 'push',
      status: 'completed',
      conclusion: 'success',
      created_at: '2026-01-01T00:00:00Z',
      html_url: `https://github.example.com/org/app/actions/runs/${id}`,
      jobs: [
        {
          id: jobId(id),
          name: 'build',
          status: 'completed',
          conclusion: 'success',
          started_at: '2026-01-01T00:00:05Z',
          completed_at: '2026-01-01T00:01:25Z',
          steps: [{ name: 'compile', status: 'completed', conclusion: 'success', number: 1 }],
        },
      ],
    });
  }
}

/** An autocannon request that sends the stream's deliveries one after another. */
function stream(d: ReturnType<typeof deliveries>, from: number, count: number): autocannon.Request {
  let next = from;
  return {
    method: 'POST',
    path: '/webhooks/github',
    setupRequest: (request) => {
      const delivery = d.at(Math.min(next++, from + count - 1));
      return {
        ...request,
        headers: {
          'content-type': 'application/json',
          'x-github-event': delivery.event,
          'x-github-delivery': delivery.delivery,
          'x-hub-signature-256': delivery.signature,
        },
        body: delivery.body,
      };
    },
  };
}

async function finalRuns(dir: string, expected: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let n = 0;
  while (Date.now() < deadline) {
    n = countRows(dir, 'runs', "status IN ('succeeded', 'failed', 'cancelled')");
    if (n >= expected) return n;
    await new Promise((r) => setTimeout(r, 50));
  }
  return n;
}

export async function ingest(): Promise<IngestResult> {
  const warmRuns = 250;
  const runs = runsMeasured();
  const d = deliveries(warmRuns + runs);
  const github = await startGithubFake({ tokens: ['ghp_bench'] });
  github.addRepo('org/app', {
    branches: ['main'],
    workflows: { 'build.yml': ['branch'], 'deploy.yml': ['environment', 'version'] },
  });
  addRuns(github, d.runIds, d.jobId);
  const slack = await benchSlackFake(['C-general', 'C-builds', 'C-deploys']);
  const dir = tempDir('ingest');
  const server = await startServer('deckhand', { dir, slackUrl: slack.url, githubUrl: github.url });
  try {
    const ok = (s: number) => s === 202;
    const warm = warmRuns * eventsPerRun;
    await measure({ url: server.url, requests: [stream(d, 0, warm)], amount: warm, warmupS: 0, ok });
    await finalRuns(dir, warmRuns, 60_000);
    const events = runs * eventsPerRun;
    const started = performance.now();
    const load = await measure({
      url: server.url,
      requests: [stream(d, warm, events)],
      amount: events,
      warmupS: 0,
      ok,
    });
    const final = await finalRuns(dir, warmRuns + runs, 120_000);
    const processedS = (performance.now() - started) / 1000;
    const unused = deliveries(runs, { repo: 'other/unused', first: 8_000_000_001 });
    const bare = await measure({
      url: server.url,
      requests: [stream(unused, 0, events)],
      amount: events,
      warmupS: 0,
      ok: (s) => s === 200,
    });
    return {
      events_per_s: load.rps,
      verify_dedupe_per_s: bare.rps,
      processed_events_per_s: round(events / processedS, 0),
      events,
      p99_ms: load.p99_ms,
      refused: load.failed,
      runs_final: final - warmRuns,
      postgres: process.env.DECKHAND_BENCH_DATABASE_URL
        ? 'not measured: deckhand has no PostgreSQL store yet'
        : 'not measured: DECKHAND_BENCH_DATABASE_URL is not set',
    };
  } finally {
    await server.stop();
    await slack.close();
    await github.close();
  }
}
