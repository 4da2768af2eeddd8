/** Runs and deployments in SQL. */
import type { Selectable } from 'kysely';
import type { RunKind, RunStatus } from '../core/pipeline-events.ts';
import type { DeploymentRecord, DeploymentStore, RunAction, RunRecord, RunStore } from '../core/store.ts';
import type { Db } from './db.ts';
import { createMemo } from './memo.ts';
import type { DeploymentsTable, RunsTable } from './schema.ts';

const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);
const date = (v: string | null): Date | undefined => (v === null ? undefined : new Date(v));

function toRun(row: Selectable<RunsTable>): RunRecord {
  return {
    id: row.id,
    kind: row.kind as RunKind,
    pipeline: row.pipeline,
    provider: row.provider,
    externalId: opt(row.external_id),
    url: opt(row.external_url),
    ref: row.ref,
    environment: opt(row.environment),
    version: opt(row.version),
    suite: opt(row.suite),
    params: JSON.parse(row.params),
    status: row.status as RunStatus,
    reason: opt(row.reason),
    commit: row.commit_sha
      ? {
          sha: row.commit_sha,
          message: row.commit_message ?? '',
          author: opt(row.commit_author),
          authorEmail: opt(row.commit_email),
        }
      : undefined,
    requestedBy: row.requested_by,
    source: { platform: row.source_platform, channel: row.source_channel },
    steps: JSON.parse(row.steps),
    tests: row.tests ? JSON.parse(row.tests) : undefined,
    actions: (JSON.parse(row.actions) as (RunAction & { at: string })[]).map((a) => ({
      ...a,
      at: new Date(a.at),
    })),
    createdAt: new Date(row.created_at),
    startedAt: date(row.started_at),
    finishedAt: date(row.finished_at),
    durationMs: opt(row.duration_ms),
    origin: opt(row.origin),
  };
}

function mutable(run: RunRecord) {
  return {
    status: run.status,
    reason: run.reason ?? null,
    external_id: run.externalId ?? null,
    external_url: run.url ?? null,
    commit_email: run.commit?.authorEmail ?? null,
    commit_sha: run.commit?.sha ?? null,
    commit_message: run.commit?.message ?? null,
    commit_author: run.commit?.author ?? null,
    steps: JSON.stringify(run.steps),
    tests: run.tests ? JSON.stringify(run.tests) : null,
    actions: JSON.stringify(run.actions),
    started_at: run.startedAt?.toISOString() ?? null,
    finished_at: run.finishedAt?.toISOString() ?? null,
    duration_ms: run.durationMs ?? null,
  };
}

export function createRunStore(db: Db): RunStore {
  const newest = createMemo<number, RunRecord[]>();
  return {
    create: (run, at) =>
      newest.write(async () => {
        if (run.origin) {
          // Started before a crash by the same request: that run, not a second one.
          const earlier = await db
            .selectFrom('runs')
            .selectAll()
            .where('origin', '=', run.origin)
            .executeTakeFirst();
          if (earlier) return { ...toRun(earlier), created: false };
        }
        const record: RunRecord = { ...run, id: 0, status: 'queued', steps: [], actions: [], createdAt: at };
        const row = await db
          .insertInto('runs')
          .values({
            kind: run.kind,
            pipeline: run.pipeline,
            provider: run.provider,
            ref: run.ref,
            environment: run.environment ?? null,
            version: run.version ?? null,
            suite: run.suite ?? null,
            params: JSON.stringify(run.params),
            requested_by: run.requestedBy,
            source_platform: run.source.platform,
            source_channel: run.source.channel,
            created_at: at.toISOString(),
            origin: run.origin ?? null,
            ...mutable(record),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return { ...record, id: row.id, created: true };
      }),
    async get(id) {
      const row = await db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toRun(row) : undefined;
    },
    save: (run) =>
      newest.write(async () => {
        await db.updateTable('runs').set(mutable(run)).where('id', '=', run.id).execute();
      }),
    // `/ci status` asks this on every call; kept until the next write. A copy: callers may sort it.
    recent: async (limit) => [
      ...(await newest.get(limit, async () => {
        const rows = await db.selectFrom('runs').selectAll().orderBy('id', 'desc').limit(limit).execute();
        return rows.map(toRun);
      })),
    ],
    async byExternalId(provider, externalId) {
      const row = await db
        .selectFrom('runs')
        .selectAll()
        .where('provider', '=', provider)
        .where('external_id', '=', externalId)
        .orderBy('id', 'desc')
        .executeTakeFirst();
      return row ? toRun(row) : undefined;
    },
    async awaitingExternalId(provider, pipeline, since) {
      const rows = await db
        .selectFrom('runs')
        .selectAll()
        .where('provider', '=', provider)
        .where('pipeline', '=', pipeline)
        .where('external_id', 'is', null)
        .where('status', 'in', ['queued', 'running'])
        .where('created_at', '>=', since.toISOString())
        .orderBy('id')
        .execute();
      return rows.map(toRun);
    },
    async unfinished() {
      const rows = await db
        .selectFrom('runs')
        .selectAll()
        .where('status', 'in', ['queued', 'running'])
        .orderBy('id')
        .execute();
      return rows.map(toRun);
    },
  };
}

function toDeployment(row: Selectable<DeploymentsTable>): DeploymentRecord {
  return {
    id: row.id,
    environment: row.environment,
    version: row.version,
    commitSha: opt(row.commit_sha),
    runId: row.run_id,
    kind: row.kind as DeploymentRecord['kind'],
    restoresId: opt(row.restores_id),
    requestedBy: row.requested_by,
    result: row.result as DeploymentRecord['result'],
    createdAt: new Date(row.created_at),
    finishedAt: date(row.finished_at),
  };
}

export function createDeploymentStore(db: Db): DeploymentStore {
  const live = createMemo<string, DeploymentRecord | undefined>();
  return {
    create: (d, at) =>
      live.write(async () => {
        const row = await db
          .insertInto('deployments')
          .values({
            environment: d.environment,
            version: d.version,
            commit_sha: d.commitSha ?? null,
            run_id: d.runId,
            kind: d.kind,
            restores_id: d.restoresId ?? null,
            requested_by: d.requestedBy,
            result: 'pending',
            created_at: at.toISOString(),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        return { ...d, id: row.id, result: 'pending' as const, createdAt: at };
      }),
    finish: (runId, result, commitSha, at) =>
      live.write(async () => {
        await db
          .updateTable('deployments')
          .set({ result, finished_at: at.toISOString(), ...(commitSha ? { commit_sha: commitSha } : {}) })
          .where('run_id', '=', runId)
          .execute();
      }),
    // Asked for every environment on every `/ci status`; kept until the next write.
    current: (environment) =>
      live.get(environment, async () => {
        const row = await db
          .selectFrom('deployments')
          .selectAll()
          .where('environment', '=', environment)
          .where('result', '=', 'succeeded')
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst();
        return row ? toDeployment(row) : undefined;
      }),
    async history(environment, limit) {
      const rows = await db
        .selectFrom('deployments')
        .selectAll()
        .where('environment', '=', environment)
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toDeployment);
    },
  };
}
