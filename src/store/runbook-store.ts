/** Runbook executions and their steps in SQL (portable through Kysely). */
import type { Selectable } from 'kysely';
import type { Execution, ExecutionStep, RunbookStore } from '../core/runbooks/store-port.ts';
import type { Db } from './db.ts';
import type { RunbookRunsTable, RunbookStepsTable } from './schema.ts';

const toExecution = (r: Selectable<RunbookRunsTable>): Execution => ({
  id: r.id,
  runbook: r.runbook,
  args: JSON.parse(r.args) as Execution['args'],
  requestedBy: r.requested_by,
  platform: r.platform,
  channel: r.channel,
  status: r.status as Execution['status'],
  createdAt: new Date(r.created_at),
  finishedAt: r.finished_at ? new Date(r.finished_at) : undefined,
  origin: r.origin ?? undefined,
});

const toStep = (r: Selectable<RunbookStepsTable>): ExecutionStep => ({
  seq: r.seq,
  index: r.step_index,
  phase: r.phase as ExecutionStep['phase'],
  name: r.name,
  status: r.status as ExecutionStep['status'],
  startedAt: new Date(r.started_at),
  finishedAt: r.finished_at ? new Date(r.finished_at) : undefined,
  summary: r.summary ?? undefined,
  log: r.log,
});

export function createRunbookStore(db: Db): RunbookStore {
  const get = async (id: number) => {
    const row = await db.selectFrom('runbook_runs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toExecution(row) : undefined;
  };
  return {
    async create(e, at) {
      return db.transaction().execute(async (tx) => {
        if (e.origin) {
          const found = await tx
            .selectFrom('runbook_runs')
            .selectAll()
            .where('origin', '=', e.origin)
            .executeTakeFirst();
          if (found) return { ...toExecution(found), created: false };
        }
        const row = await tx
          .insertInto('runbook_runs')
          .values({
            runbook: e.runbook,
            args: JSON.stringify(e.args),
            requested_by: e.requestedBy,
            platform: e.platform,
            channel: e.channel,
            status: 'running',
            origin: e.origin ?? null,
            created_at: at.toISOString(),
            finished_at: null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return { ...toExecution(row), created: true };
      });
    },
    get,
    async steps(id) {
      const rows = await db
        .selectFrom('runbook_steps')
        .selectAll()
        .where('run_id', '=', id)
        .orderBy('seq')
        .execute();
      return rows.map(toStep);
    },
    async stepStarted(id, step, at) {
      await db
        .insertInto('runbook_steps')
        .values({
          run_id: id,
          seq: step.seq,
          step_index: step.index,
          phase: step.phase,
          name: step.name,
          status: 'running',
          summary: null,
          log: '',
          started_at: at.toISOString(),
          finished_at: null,
        })
        .execute();
    },
    async stepFinished(id, seq, result, at) {
      await db
        .updateTable('runbook_steps')
        .set({
          status: result.status,
          summary: result.summary ?? null,
          log: result.log,
          finished_at: at.toISOString(),
        })
        .where('run_id', '=', id)
        .where('seq', '=', seq)
        .execute();
    },
    async finish(id, status, at) {
      await db
        .updateTable('runbook_runs')
        .set({ status, finished_at: at.toISOString() })
        .where('id', '=', id)
        .execute();
    },
    async running() {
      const rows = await db
        .selectFrom('runbook_runs')
        .selectAll()
        .where('status', '=', 'running')
        .orderBy('id')
        .execute();
      return rows.map(toExecution);
    },
  };
}
