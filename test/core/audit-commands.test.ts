import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { redactAtRest } from '../../src/core/at-rest.ts';
import { coreArgTypes } from '../../src/core/commands/arg-types.ts';
import { auditLine, clip } from '../../src/core/commands/audit.ts';
import type { ArgSpec } from '../../src/core/commands/types.ts';
import type { CommandServices } from '../../src/core/family.ts';
import { toPlainText } from '../../src/core/messages.ts';
import { MASK, Redactor } from '../../src/core/redact.ts';
import { createHarness, harnessConfig } from '../helpers/core-harness.ts';

const yaml = harnessConfig.replace('policy: { allowEveryone: true }\n', '').replace(
  'people:\n  - { id: alice, name: Alice, chat: { test: U1 }, emails: [alice@example.com] }\n  - { id: bob, name: Bob, chat: { test: U2 } }',
  `people:
  - { id: alice, name: Alice, roles: [developer], chat: { test: U1 }, emails: [alice@example.com] }
  - { id: bob, name: Bob, roles: [release-manager], chat: { test: U2 } }
  - { id: carol, name: Carol, roles: [viewer], chat: { test: U3 } }
  - { id: dana, name: Dana, roles: [auditor], chat: { test: U4 } }
roles:
  developer: { allow: [{ commands: [build, test, status] }, { commands: [deploy, rollback], environments: [staging] }] }
  release-manager: { allow: [{ commands: "*" }] }
  viewer: { allow: [{ commands: status }] }
  auditor: { allow: [{ commands: [audit, stats] }] }`,
);

type Harness = Awaited<ReturnType<typeof createHarness>>;

const line = /^#\d+ \d{4}-\d\d-\d\d \d\d:\d\d @\w+ /;

describe('/ci audit and /ci stats', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness(yaml);
    const build = await h.say('/ci build main', 'U1');
    assert.match(build.text ?? '', /Build of `main` triggered by @Alice/);
    await h.finish(1, 'succeeded');
    await h.say('/ci build develop', 'U1');
    await h.finish(2, 'failed');
    await h.say('/ci build nope', 'U1'); // allowed, but an error: no such branch
    await h.say('/ci deploy production v1.0.0', 'U1'); // denied: no grant
    await h.say('/ci deploy staging v1.0.0', 'U2');
    await h.finish(3, 'succeeded');
    await h.say('/ci deploy staging --explain', 'U3');
    await h.say('/ci biuld', 'U3');
  });
  after(() => h.close());

  it('lists the latest entries, newest first, one compact line each', async () => {
    const reply = await h.say('/ci audit 6', 'U2');
    assert.equal(reply.header, 'Audit log: the latest 6 entries');
    const lines = (reply.text ?? '').split('\n');
    assert.equal(lines.length, 6);
    for (const l of lines) assert.match(l, line);
    const ids = lines.map((l) => Number(l.match(/^#(\d+)/)?.[1]));
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => b - a),
    );
    assert.match(lines[0] ?? '', / @Carol `biuld` rejected:invalid → error: Unknown command `biuld`/);
    assert.match(
      lines[1] ?? '',
      / @Carol `deploy staging --explain` explained:no-grant → `\/ci deploy staging` would be refused/,
    );
    assert.match(lines[2] ?? '', / @Bob deploy #3 succeeded$/);
    assert.match(
      lines[3] ?? '',
      / @Bob `deploy staging v1\.0\.0` allowed → Deploy of `v1\.0\.0` to `staging`/,
    );
    assert.match(lines[4] ?? '', / @Alice `deploy production v1\.0\.0` denied:no-grant → error: You may not/);
    assert.match(lines[5] ?? '', / @Alice `build nope` allowed → error: Branch 'nope' not found/);
    assert.match(reply.context?.join(' ') ?? '', /Newest first; times in UTC/);
  });

  it('defaults to 10, filters by person and kind', async () => {
    const ten = await h.say('/ci audit', 'U4');
    assert.equal((ten.text ?? '').split('\n').length, 10);
    const alice = await h.say('/ci audit 50 --user alice', 'U4');
    assert.match(alice.header ?? '', /entries by @Alice$/);
    for (const l of (alice.text ?? '').split('\n')) assert.match(l, / @Alice /);
    const runs = await h.say('/ci audit --kind run', 'U4');
    assert.equal(runs.header, 'Audit log: the latest 3 entries of kind run.finished');
    assert.match(runs.text ?? '', /build #2 failed: Step 's' exited with code 1\./);
    const none = await h.say('/ci audit --user dana --kind action', 'U4');
    assert.equal(none.text, 'No audit entries by @Dana of kind action yet.');
  });

  it('refuses bad counts, people and kinds with a clear message', async () => {
    for (const [n, why] of [
      ['0', /count must be a whole number from 1 to 50; `0` is not\./],
      ['51', /count must be a whole number from 1 to 50; `51` is not\./],
      ['ten', /count must be a whole number from 1 to 50; `ten` is not\./],
      ['-3', /Unknown option `--3`|`-3` is not/],
    ] as const) {
      const reply = await h.say(`/ci audit ${n}`, 'U2');
      assert.equal(reply.status, 'error', n);
      assert.match(reply.text ?? '', why, n);
    }
    assert.match((await h.say('/ci audit --user zed', 'U2')).text ?? '', /Unknown person `zed`/);
    assert.match(
      (await h.say('/ci audit --kind comand', 'U2')).text ?? '',
      /Unknown kind `comand`\. Did you mean `command`\? Kinds: command, action, run\.finished, approval, config\.reload, config\.loaded\./,
    );
    for (const [days, why] of [
      ['0', /days must be a whole number from 1 to 365; `0` is not\./],
      ['366', /days must be a whole number from 1 to 365; `366` is not\./],
      ['1.5', /`1\.5` is not\./],
    ] as const) {
      assert.match((await h.say(`/ci stats --days ${days}`, 'U2')).text ?? '', why, days);
    }
  });

  it('only roles granted audit, stats or * may read them', async () => {
    for (const [user, allowed] of [
      ['U1', false],
      ['U3', false],
      ['U2', true],
      ['U4', true],
    ] as const) {
      for (const command of ['audit', 'stats']) {
        const reply = await h.say(`/ci ${command}`, user);
        if (allowed) assert.notEqual(reply.status, 'error', `${user} ${command}: ${reply.text}`);
        else assert.match(reply.text ?? '', new RegExp(`You may not run \`/ci ${command}\``), user);
      }
    }
    const [entry] = await h.stores.audit.recent(1);
    assert.equal(entry?.decision, 'allowed');
    assert.match(
      (await h.say('/ci audit 1 --user carol', 'U2')).text ?? '',
      /@Carol `stats` denied:no-grant → error: You may not run `\/ci stats`: your roles \(viewer\)/,
    );
  });

  it('counts commands, people and runs over the last days', async () => {
    const h2 = await createHarness(yaml);
    try {
      await h2.say('/ci build main', 'U1');
      await h2.finish(1, 'succeeded');
      await h2.say('/ci build develop', 'U2');
      await h2.finish(2, 'failed');
      await h2.say('/ci build nope', 'U1');
      await h2.say('/ci deploy production v1.0.0', 'U1');
      await h2.say('/ci deploy staging v1.0.0', 'U2');
      await h2.finish(3, 'succeeded');
      await h2.say('/ci deploy staging --explain', 'U1');
      await h2.say('/ci biuld', 'U3');
      const reply = await h2.say('/ci stats --days 7', 'U4');
      assert.equal(reply.header, 'Usage in the last 7 days');
      assert.equal(
        reply.text,
        [
          'Commands used most:',
          '• build: 3 uses, 67% succeeded (1 failed)',
          '• deploy: 2 uses, 50% succeeded (1 denied)',
          '',
          'By whom:',
          '• @Alice: 3 commands',
          '• @Bob: 2 commands',
          '• @Carol: 1 command',
          '',
          'Runs:',
          '• build: 2 runs — 1 succeeded, 1 failed, 50% success, median 10ms',
          '• deploy: 1 run — 1 succeeded, 0 failed, 100% success, median 10ms',
        ].join('\n'),
      );
      assert.deepEqual(reply.fields, [
        { label: 'Commands', value: '5, 60% succeeded' },
        { label: 'Denied', value: '1' },
        { label: 'Runs', value: '3' },
      ]);
      const context = reply.context?.join('\n') ?? '';
      assert.match(context, /^Since \d{4}-\d\d-\d\d \d\d:\d\d UTC\./);
      assert.match(context, /1 command was not understood/);
      const plain = toPlainText(reply);
      assert.match(plain, /Commands: 5, 60% succeeded\nDenied: 1\nRuns: 3/);
      // The default window and an empty one.
      assert.equal((await h2.say('/ci stats', 'U4')).header, 'Usage in the last 30 days');
    } finally {
      await h2.close();
    }
    const empty = await createHarness(yaml);
    try {
      const reply = await empty.say('/ci stats --days 1', 'U4');
      assert.equal(reply.header, 'Usage in the last day');
      assert.equal(reply.text, 'No commands were run in the last day.\n\nNo runs in the last day.');
    } finally {
      await empty.close();
    }
  });

  it('a decision neither allowed nor denied (a held command) counts as other', async () => {
    const h4 = await createHarness(yaml);
    try {
      await h4.stores.audit.append({
        at: new Date(),
        kind: 'command',
        actor: 'bob',
        text: '/ci deploy production',
        command: { command: 'deploy', args: { environment: 'production' } },
        decision: 'held:confirm',
        outcome: 'Confirm with code K7Q2XM',
      });
      const reply = await h4.say('/ci stats', 'U4');
      assert.match(reply.text ?? '', /^• deploy: 1 use, 0% succeeded \(1 other\)$/m);
    } finally {
      await h4.close();
    }
  });

  it('stays well under chat limits with 50 long entries', async () => {
    const h3 = await createHarness(yaml);
    try {
      for (let i = 0; i < 60; i++) {
        await h3.stores.audit.append({
          at: new Date(),
          kind: 'command',
          actor: i % 2 ? 'alice' : 'bob',
          platform: 'test',
          platformUser: 'U1',
          channel: 'C-general',
          text: `/ci lock production ${'a very long reason '.repeat(20)}`,
          decision: i % 3 ? 'allowed' : 'denied:channel:deploys|ops',
          outcome: `error: ${'`x` '.repeat(200)}`,
        });
      }
      const reply = await h3.say('/ci audit 50', 'U4');
      const plain = toPlainText(reply);
      assert.ok(plain.length < 3000, `${plain.length} characters`);
      const lines = (reply.text ?? '').split('\n');
      assert.ok(lines.length >= 40, `${lines.length} lines`);
      for (const l of lines) {
        assert.match(l, line);
        assert.equal((l.match(/`/g)?.length ?? 0) % 2, 0, `balanced code spans: ${l}`);
      }
      if (lines.length < 50) assert.match(reply.context?.join(' ') ?? '', /more left out/);
      const ten = await h3.say('/ci audit', 'U4');
      assert.ok(toPlainText(ten).length < 3000);
      assert.match(ten.text ?? '', /→ error: `x`/, 'ten entries have room for their outcome');
    } finally {
      await h3.close();
    }
  });

  it('shows entries as written: secrets were masked before they reached the log', async () => {
    const redactor = new Redactor(['hunter2-secret']);
    await redactAtRest(h.stores, redactor).audit.append({
      at: new Date(),
      kind: 'command',
      actor: 'alice',
      platform: 'test',
      platformUser: 'U1',
      channel: 'C-general',
      text: '/ci build main token=hunter2-secret',
      decision: 'rejected:invalid',
      outcome: 'error: Too many arguments: `token=hunter2-secret`.',
    });
    const reply = await h.say('/ci audit 1', 'U2');
    assert.doesNotMatch(toPlainText(reply), /hunter2/);
    assert.ok(reply.text?.includes(MASK), reply.text);
  });
});

describe('audit lines', () => {
  const mention = (id: string) => `@${id}`;
  it('clips to a width and keeps code spans balanced', () => {
    assert.equal(clip('short', 10), 'short');
    assert.equal(clip('a  b\n c', 10), 'a b c');
    assert.equal(clip('Deploy of `v1.0.0` to `staging`', 14), 'Deploy of `v`…');
    assert.equal(clip('Deploy of `v1.0.0`', 12), 'Deploy of…');
  });

  it('writes who when the person is unknown, and the kind of a click', () => {
    const at = new Date('2026-11-27T14:03:59Z');
    assert.equal(
      auditLine(
        {
          id: 7,
          at,
          kind: 'command',
          platform: 'slack',
          platformUser: 'U9',
          text: '/ci status',
          decision: 'denied:unknown-user',
        },
        mention,
        200,
      ),
      '#7 2026-11-27 14:03 `slack:U9` `status` denied:unknown-user',
    );
    assert.equal(
      auditLine(
        {
          id: 8,
          at,
          kind: 'action',
          actor: 'bob',
          text: 'rerun:3',
          decision: 'allowed',
          outcome: 'Run #3 again',
        },
        mention,
        200,
      ),
      '#8 2026-11-27 14:03 @bob action `rerun:3` allowed → Run #3 again',
    );
  });

  it('count arguments are whole numbers within their range', () => {
    const spec = { name: 'count', type: 'count' as const, max: 50, description: '' };
    const lists = { environments: [], commands: [], services: {} as CommandServices };
    const checkArg = (s: ArgSpec, value: string, l: typeof lists) => coreArgTypes.count?.check(value, s, l);
    assert.equal(checkArg(spec, '07', lists), '7');
    assert.equal(checkArg(spec, '50', lists), '50');
    for (const bad of ['0', '51', '1e1', '+5', ' 5', '5.0', ''])
      assert.throws(() => checkArg(spec, bad, lists));
    assert.equal(checkArg({ ...spec, max: undefined }, '100000', lists), '100000');
  });
});
