/**
 * Read-only queries over the audit log and the runs, for `/ci audit` and `/ci stats`. Portable SQL
 * (SQLite now, PostgreSQL later): plain aggregates, CASE, LIKE, LIMIT/OFFSET; ISO times compare
 * as strings.
 */
import { type RawBuilder, sql } from 'kysely';
import type { AuditLogReader, RunOutcomes, UsageStatsReader } from '../core/types/audit-log.ts';
import { entryColumns, toAuditEntry } from './audit-store.ts';
import type { Db } from './db.ts';

/** SUM over a condition, without a dialect's FILTER or boolean-to-integer casts. */
const countWhere = (condition: RawBuilder<unknown>) =>
  sql<number | string | null>`sum(case when ${condition} then 1 else 0 end)`;

const num = (value: unknown) => Number(value ?? 0);

/**
 * The command an audit entry parsed, by name. The core stores it as JSON
 * `{"command":"deploy","args":{…}}`; reading JSON differs between SQLite and PostgreSQL, a LIKE
 * on its start does not.
 */
function commandName(names: readonly string[]) {
  const known = names.filter((n) => /^[a-z][a-z-]*$/.test(n));
  if (known.length === 0) return sql<string | null>`cast(null as varchar(1))`;
  const whens = known.map((n) => sql`when command like ${`{"command":"${n}",%`} then ${sql.lit(n)}`);
  return sql<string | null>`case ${sql.join(whens, sql` `)} else null end`;
}

export function createAuditQueries(db: Db): AuditLogReader & UsageStatsReader {
  return {
    async recent(limit, filter = {}) {
      let query = db
        .selectFrom('audit')
        .select([...entryColumns])
        .orderBy('id', 'desc')
        .limit(limit);
      if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
      if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
      const rows = await query.execute();
      return rows.map(toAuditEntry);
    },

    async between(from, until, limit) {
      const rows = await db
        .selectFrom('audit')
        .select([...entryColumns])
        .where('at', '>=', from.toISOString())
        .where('at', '<=', until.toISOString())
        .where('command', 'is not', null)
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toAuditEntry);
    },

    async stats(since, commands, topPeople = 5) {
      const from = since.toISOString();
      // Commands typed in the window; a question asked with --explain is not a use.
      const typed = db
        .selectFrom('audit')
        .where('kind', '=', 'command')
        .where('at', '>=', from)
        .where('decision', 'not like', 'explained:%');

      const perCommand = await db
        .selectFrom(
          typed
            .select([
              commandName(commands).as('name'),
              'decision',
              sql<number>`case when decision = 'allowed' and (outcome is null or outcome not like 'error: %') then 1 else 0 end`.as(
                'ok',
              ),
            ])
            .as('t'),
        )
        .where('name', 'is not', null)
        .select([
          'name',
          (eb) => eb.fn.countAll().as('total'),
          (eb) => eb.fn.sum('ok').as('succeeded'),
          countWhere(sql`decision like 'denied:%'`).as('denied'),
          countWhere(sql`decision = 'allowed' and ok = 0`).as('failed'),
        ])
        .groupBy('name')
        .orderBy('total', 'desc')
        .orderBy('name')
        .execute();

      const unparsed = await typed
        .where('command', 'is', null)
        .select((eb) => eb.fn.countAll().as('total'))
        .executeTakeFirst();

      const people = await typed
        .where('actor', 'is not', null)
        .select(['actor', (eb) => eb.fn.countAll().as('total')])
        .groupBy('actor')
        .orderBy('total', 'desc')
        .orderBy('actor')
        .limit(topPeople)
        .execute();

      const runs = await db
        .selectFrom('runs')
        .where('created_at', '>=', from)
        .select([
          'kind',
          (eb) => eb.fn.countAll().as('total'),
          countWhere(sql`status = 'succeeded'`).as('succeeded'),
          countWhere(sql`status = 'failed'`).as('failed'),
          countWhere(sql`status = 'cancelled'`).as('cancelled'),
          countWhere(sql`status = 'succeeded' and duration_ms is not null`).as('timed'),
        ])
        .groupBy('kind')
        .orderBy('total', 'desc')
        .orderBy('kind')
        .execute();

      const outcomes: RunOutcomes[] = [];
      for (const r of runs) {
        const timed = num(r.timed);
        outcomes.push({
          kind: r.kind,
          total: num(r.total),
          succeeded: num(r.succeeded),
          failed: num(r.failed),
          cancelled: num(r.cancelled),
          medianMs: timed ? await medianDuration(db, r.kind, from, timed) : undefined,
        });
      }

      return {
        commands: perCommand.map((c) => ({
          command: c.name as string,
          total: num(c.total),
          succeeded: num(c.succeeded),
          denied: num(c.denied),
          failed: num(c.failed),
        })),
        people: people.map((p) => ({ actor: p.actor as string, total: num(p.total) })),
        unparsed: num(unparsed?.total),
        runs: outcomes,
      };
    },
  };
}

/** The median duration of `count` succeeded runs of a kind: the middle one, or the mean of the middle two. */
async function medianDuration(db: Db, kind: string, from: string, count: number): Promise<number> {
  const middle = await db
    .selectFrom('runs')
    .select('duration_ms')
    .where('kind', '=', kind)
    .where('created_at', '>=', from)
    .where('status', '=', 'succeeded')
    .where('duration_ms', 'is not', null)
    .orderBy('duration_ms')
    .limit(count % 2 === 1 ? 1 : 2)
    .offset(Math.floor((count - 1) / 2))
    .execute();
  return middle.reduce((sum, r) => sum + num(r.duration_ms), 0) / Math.max(1, middle.length);
}
