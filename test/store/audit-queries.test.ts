import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunKind, RunStatus } from '../../src/core/pipeline-events.ts';
import type { AuditEntry, Stores } from '../../src/core/store.ts';
import { createAuditQueries } from '../../src/store/audit-queries.ts';
import { createStores, type Db } from '../../src/store/index.ts';
import { openSqlite } from '../../src/store/sqlite/open.ts';

const now = new Date('2026-11-27T14:03:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
const names = ['build', 'test', 'deploy', 'rollback', 'status', 'audit', 'stats', 'help'];

/** An audit entry as the core writes one for a command. */
const command = (
  actor: string | undefined,
  name: string | undefined,
  decision: string,
  outcome: string,
  at = daysAgo(1),
): Omit<AuditEntry, 'id'> => ({
  at,
  kind: 'command',
  actor,
  platform: 'test',
  platformUser: actor ? `U-${actor}` : 'U-stranger',
  channel: 'C-general',
  text: `/ci ${name ?? 'biuld'}`,
  command: name ? { command: name, args: {} } : undefined,
  decision,
  outcome,
});

describe('audit queries', () => {
  let db: Db;
  let stores: Stores;
  let queries: ReturnType<typeof createAuditQueries>;

  const run = async (kind: RunKind, status: RunStatus, durationMs: number | undefined, at = daysAgo(1)) => {
    const created = await stores.runs.create(
      {
        kind,
        pipeline: 'p',
        provider: 'local',
        ref: 'main',
        params: {},
        requestedBy: 'alice',
        source: { platform: 'test', channel: 'C' },
      },
      at,
    );
    await stores.runs.save({ ...created, status, durationMs });
  };

  before(async () => {
    db = await openSqlite(':memory:');
    stores = createStores(db);
    queries = createAuditQueries(db);
    const entries = [
      // Inside the 30-day window.
      command('alice', 'build', 'allowed', 'Build of `main` triggered by @Alice — run #1'),
      command('alice', 'build', 'allowed', 'Build of `main` triggered by @Alice — run #2'),
      command('alice', 'build', 'allowed', "error: Branch 'nope' not found."),
      command('bob', 'build', 'allowed', 'Build of `main` triggered by @Bob — run #3'),
      command('carol', 'deploy', 'denied:no-grant', 'error: You may not run `/ci deploy`…'),
      command('bob', 'deploy', 'allowed', 'Deploy of `v1` to `staging` triggered by @Bob — run #4'),
      command('bob', 'deploy', 'explained:role:release-manager', 'Would run'),
      command('carol', 'status', 'allowed', 'Recent runs:'),
      command(undefined, 'status', 'denied:unknown-user', "error: Sorry, I don't know you yet"),
      command('alice', undefined, 'rejected:invalid', 'error: Unknown command `biuld`.'),
      // A decision that is neither allowed nor denied (a command held for confirmation).
      command('bob', 'test', 'held:confirm', 'Confirm `/ci test`: code K7Q2XM'),
      // Outside it.
      command('dave', 'rollback', 'allowed', 'Rollback…', daysAgo(45)),
      command('alice', 'build', 'allowed', 'Build…', daysAgo(31)),
      // Not commands.
      {
        at: daysAgo(1),
        kind: 'action',
        actor: 'bob',
        text: 'rerun:3',
        decision: 'allowed',
        outcome: 'Build of `main`…',
        runId: 3,
      },
      {
        at: daysAgo(1),
        kind: 'run.finished',
        actor: 'bob',
        decision: 'recorded',
        outcome: 'build #3 succeeded',
        runId: 3,
      },
    ];
    for (const e of entries) await stores.audit.append(e);

    await run('build', 'succeeded', 30);
    await run('build', 'succeeded', 10);
    await run('build', 'succeeded', 20);
    await run('build', 'failed', 5);
    await run('build', 'cancelled', undefined);
    await run('build', 'succeeded', 99_000, daysAgo(40)); // outside
    await run('deploy', 'succeeded', 4000);
    await run('deploy', 'succeeded', 2000);
    await run('deploy', 'failed', 100);
    await run('deploy', 'running', undefined);
    await run('rollback', 'failed', 700);
  });
  after(() => db.destroy());

  it('recent: newest first, at most `limit`, by person or kind', async () => {
    const latest = await queries.recent(3);
    assert.deepEqual(
      latest.map((e) => e.id),
      [15, 14, 13],
    );
    assert.equal(latest[0]?.kind, 'run.finished');
    assert.equal(latest[0]?.at.toISOString(), daysAgo(1).toISOString());
    assert.equal((await queries.recent(50)).length, 15);

    const carol = await queries.recent(10, { actor: 'carol' });
    assert.deepEqual(
      carol.map((e) => [e.id, e.text, e.decision]),
      [
        [8, '/ci status', 'allowed'],
        [5, '/ci deploy', 'denied:no-grant'],
      ],
    );
    assert.deepEqual(carol[1]?.command, { command: 'deploy', args: {} });

    const actions = await queries.recent(10, { kind: 'action' });
    assert.deepEqual(
      actions.map((e) => [e.text, e.runId]),
      [['rerun:3', 3]],
    );
    assert.deepEqual(await queries.recent(10, { actor: 'bob', kind: 'command' }).then((l) => l.length), 4);
    assert.deepEqual(await queries.recent(10, { actor: 'nobody' }), []);
  });

  it('stats: uses and success per command, most used first, explain questions left out', async () => {
    const s = await queries.stats(daysAgo(30), names);
    assert.deepEqual(s.commands, [
      // Three allowed and fine, one allowed but an error.
      { command: 'build', total: 4, succeeded: 3, denied: 0, failed: 1 },
      { command: 'deploy', total: 2, succeeded: 1, denied: 1, failed: 0 },
      { command: 'status', total: 2, succeeded: 1, denied: 1, failed: 0 },
      { command: 'test', total: 1, succeeded: 0, denied: 0, failed: 0 },
    ]);
    assert.equal(s.unparsed, 1);
  });

  it('stats: who typed the most commands, within the window, top N', async () => {
    const s = await queries.stats(daysAgo(30), names);
    assert.deepEqual(s.people, [
      { actor: 'alice', total: 4 },
      { actor: 'bob', total: 3 },
      { actor: 'carol', total: 2 },
    ]);
    const top = await queries.stats(daysAgo(30), names, 1);
    assert.deepEqual(top.people, [{ actor: 'alice', total: 4 }]);
  });

  it('stats: runs per kind with outcomes and the median of succeeded runs', async () => {
    const s = await queries.stats(daysAgo(30), names);
    assert.deepEqual(s.runs, [
      { kind: 'build', total: 5, succeeded: 3, failed: 1, cancelled: 1, medianMs: 20 },
      { kind: 'deploy', total: 4, succeeded: 2, failed: 1, cancelled: 0, medianMs: 3000 },
      { kind: 'rollback', total: 1, succeeded: 0, failed: 1, cancelled: 0, medianMs: undefined },
    ]);
  });

  it('stats: the window is by days', async () => {
    const wide = await queries.stats(daysAgo(60), names);
    assert.deepEqual(
      wide.commands.map((c) => [c.command, c.total]),
      [
        ['build', 5],
        ['deploy', 2],
        ['status', 2],
        ['rollback', 1],
        ['test', 1],
      ],
    );
    assert.deepEqual(
      wide.runs.find((r) => r.kind === 'build'),
      { kind: 'build', total: 6, succeeded: 4, failed: 1, cancelled: 1, medianMs: 25 },
    );
    const none = await queries.stats(now, names);
    assert.deepEqual(none, { commands: [], people: [], unparsed: 0, runs: [] });
  });

  it('stats: only the names given are counted as commands', async () => {
    const s = await queries.stats(daysAgo(30), ['deploy']);
    assert.deepEqual(
      s.commands.map((c) => c.command),
      ['deploy'],
    );
    assert.deepEqual((await queries.stats(daysAgo(30), [])).commands, []);
  });
});
