import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Policy, policyFromConfig, policyNotices } from '../../src/core/policy.ts';
import { createHarness, harnessConfig } from '../helpers/core-harness.ts';

const yaml = harnessConfig.replace('policy: { allowEveryone: true }\n', '').replace(
  'people:\n  - { id: alice, name: Alice, chat: { test: U1 }, emails: [alice@example.com] }\n  - { id: bob, name: Bob, chat: { test: U2 } }',
  `people:
  - { id: alice, name: Alice, roles: [developer], chat: { test: U1 }, emails: [alice@example.com] }
  - { id: bob, name: Bob, roles: [release-manager], chat: { test: U2 } }
  - { id: carol, name: Carol, roles: [viewer], chat: { test: U3 } }
roles:
  developer: { allow: [{ commands: [build, test, status] }, { commands: [deploy, rollback], environments: [staging] }] }
  release-manager: { allow: [{ commands: "*" }] }
  viewer: { allow: [{ commands: status }] }
policy:
  channels:
    - { commands: [deploy, rollback], environments: production, channels: [deploys] }`,
);

type Harness = Awaited<ReturnType<typeof createHarness>>;

describe('who may do what, where', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness(yaml);
  });
  after(() => h.close());

  it('decides every command × role × environment × channel as configured, with its rule', () => {
    const policy = policyFromConfig(h.config);
    const person = (id: string) => h.config.people.find((p) => p.id === id);
    const cases: [string, string, string | undefined, string, boolean, string][] = [
      // person, command, environment, channel, allowed, rule
      ['alice', 'build', undefined, 'C-general', true, 'role:developer'],
      ['alice', 'test', undefined, 'C-general', true, 'role:developer'],
      ['alice', 'status', undefined, 'C-general', true, 'role:developer'],
      ['alice', 'deploy', 'staging', 'C-general', true, 'role:developer'],
      ['alice', 'rollback', 'staging', 'C-general', true, 'role:developer'],
      ['alice', 'deploy', 'production', 'C-deploys', false, 'no-grant'],
      ['alice', 'deploy', 'production', 'C-general', false, 'no-grant'],
      ['bob', 'deploy', 'production', 'C-deploys', true, 'role:release-manager'],
      ['bob', 'rollback', 'production', 'C-general', false, 'channel:deploys'],
      ['bob', 'deploy', 'staging', 'C-general', true, 'role:release-manager'],
      ['carol', 'status', undefined, 'C-general', true, 'role:viewer'],
      ['carol', 'build', undefined, 'C-general', false, 'no-grant'],
      ['carol', 'deploy', 'staging', 'C-general', false, 'no-grant'],
      ['carol', 'help', undefined, 'C-general', true, 'always-allowed'],
      ['carol', 'whoami', undefined, 'C-general', true, 'always-allowed'],
    ];
    for (const [who, command, environment, channel, allowed, rule] of cases) {
      const d = policy.decide({
        person: person(who),
        platform: 'test',
        userId: who,
        channel,
        family: 'ci',
        command,
        args: { environment },
      });
      assert.equal(d.allowed, allowed, `${who} ${command} ${environment ?? ''} in ${channel}: ${d.reason}`);
      assert.equal(d.rule, rule, `${who} ${command} ${environment ?? ''} in ${channel}`);
      assert.ok(d.reason, 'every decision explains itself');
    }
  });

  it('a denial says why and which roles may', async () => {
    const m = await h.say('/ci deploy production v1.0.0', 'U1');
    assert.equal(
      m.text,
      'You may not run `/ci deploy` to `production`: your roles (developer) do not allow it. Roles that may: release-manager.',
    );
    const [entry] = await h.stores.audit.recent(1);
    assert.equal(entry?.decision, 'denied:no-grant');
    assert.equal(h.provider.triggered.length, 0);
  });

  it('--explain and /ci explain answer without running anything', async () => {
    const yes = await h.say('/ci deploy staging v1.0.0 --explain', 'U1');
    assert.equal(yes.header, 'Would run');
    assert.match(
      yes.text ?? '',
      /`\/ci deploy staging v1\.0\.0` would run: your role developer allows `\/ci deploy` to `staging`\./,
    );
    const no = await h.say('/ci explain rollback production', 'U2');
    assert.equal(no.header, 'Would be refused');
    assert.match(no.text ?? '', /may only be run from #deploys/);
    assert.equal(h.provider.triggered.length, 0, 'nothing ran');
    const [entry] = await h.stores.audit.recent(1);
    assert.equal(entry?.decision, 'explained:channel:deploys');
  });

  it('help lists only what the person may run; whoami says who and what', async () => {
    const carol = await h.say('/ci help', 'U3');
    assert.match(carol.text ?? '', /\/ci status/);
    assert.doesNotMatch(carol.text ?? '', /\/ci deploy|\/ci build/);
    const bob = await h.say('/ci help', 'U2');
    assert.match(bob.text ?? '', /\/ci deploy/);
    const me = await h.say('/ci whoami', 'U1');
    assert.equal(me.header, 'You are Alice');
    assert.match(
      me.text ?? '',
      /You may run: \/ci build, \/ci test, \/ci deploy \(staging\), \/ci rollback \(staging\), \/ci status, \/ci whoami, \/ci help, \/incident status, \/incident help, \/oncall help\./,
    );
    assert.ok(me.fields?.some((f) => f.label === 'Roles' && f.value === 'developer'));
  });

  it('a button click needs the permission for that run', async () => {
    await h.say('/ci build main', 'U1');
    const runId = h.provider.triggered.at(-1)?.runId as number;
    const click = await h.core.handleAction({
      platform: 'test',
      userId: 'U3',
      channel: 'C-builds',
      messageId: 'x',
      actionId: `cancel:${runId}`,
    });
    assert.match(click.message.text ?? '', /You may not run `\/ci build`/);
    assert.deepEqual(h.provider.cancelled, []);
  });
});

describe('with no grants the policy fails closed', () => {
  // harnessConfig has roles with no grants; without `policy.allowEveryone` only reading runs.
  const ungranted = harnessConfig.replace('policy: { allowEveryone: true }\n', '');
  let h: Harness;
  before(async () => {
    h = await createHarness(ungranted);
  });
  after(() => h.close());

  it('refuses deploy through the real core, saying which key allows it, and runs nothing', async () => {
    const m = await h.say('/ci deploy staging v1.0.0', 'U1');
    assert.equal(
      m.text,
      'You may not run `/ci deploy` to `staging`: no role grants any command yet, so only commands that read run. ' +
        'Allow it under `roles.<role>.allow` in deckhand.yaml, e.g. `- { commands: [deploy], environments: [staging] }`.',
    );
    const [entry] = await h.stores.audit.recent(1);
    assert.equal(entry?.decision, 'denied:no-grants');
    const build = await h.say('/ci build main', 'U1');
    assert.match(build.text ?? '', /You may not run `\/ci build`: no role grants any command yet/);
    assert.equal(h.provider.triggered.length, 0, 'nothing ran');
  });

  it('answers status, and whoami says only reading runs', async () => {
    const status = await h.say('/ci status', 'U2');
    assert.notEqual(status.status, 'error', status.text);
    assert.doesNotMatch(status.text ?? '', /may not/);
    const [entry] = await h.stores.audit.recent(1);
    assert.equal(entry?.decision, 'allowed');
    const me = await h.say('/ci whoami', 'U1');
    assert.match(
      me.text ?? '',
      /^You may run: \/ci status, \/ci envs, \/ci history, \/ci locks, \/ci audit, \/ci stats, \/ci whoami, \/ci help, \/incident status, \/incident timeline, \/incident help, \/oncall now, \/oncall escalation, \/oncall help\.$/,
    );
    assert.deepEqual(me.context, ['No role grants any command yet: everyone known may run only what reads.']);
  });

  it('decides read-only and refused with their rules; allowEveryone opens everything', () => {
    const alice = h.config.people.find((p) => p.id === 'alice');
    const ask = (policy: Policy, command: string) =>
      policy.decide({
        person: alice,
        platform: 'test',
        userId: 'U1',
        channel: 'C-general',
        family: 'ci',
        command,
        args: { environment: command === 'deploy' ? 'production' : undefined },
      });
    const closed = policyFromConfig(h.config);
    assert.ok(closed.ungranted && !closed.open);
    assert.deepEqual([ask(closed, 'status').allowed, ask(closed, 'status').rule], [true, 'read-only']);
    assert.deepEqual([ask(closed, 'deploy').allowed, ask(closed, 'deploy').rule], [false, 'no-grants']);
    assert.deepEqual([ask(closed, 'lock').allowed, ask(closed, 'lock').rule], [false, 'no-grants']);
    const open = policyFromConfig({ ...h.config, policy: { ...h.config.policy, allowEveryone: true } });
    assert.ok(open.open && !open.ungranted);
    assert.deepEqual([ask(open, 'deploy').allowed, ask(open, 'deploy').rule], [true, 'open-policy']);
    // A config loaded without the modules' list of reading commands runs nothing but help and whoami.
    const bare = policyFromConfig({ ...h.config, reading: [] });
    assert.equal(ask(bare, 'status').allowed, false);
    assert.equal(ask(bare, 'whoami').allowed, true);
  });

  it('start and check-config get one line: nothing granted, or a warning for everyone-may-run beside a real chat', () => {
    assert.deepEqual(
      policyNotices(h.config, ['test']).map((n) => n.level),
      ['info'],
    );
    assert.match(
      policyNotices(h.config, [])[0]?.text ?? '',
      /^No role grants any command: only commands that read run \(audit, envs, escalation, help, history, locks, now, stats, status, timeline, whoami\)/,
    );
    const open = { ...h.config, policy: { ...h.config.policy, allowEveryone: true } };
    assert.deepEqual(
      policyNotices(open, ['webchat']).map((n) => n.level),
      ['info'],
    );
    const [warning, ...more] = policyNotices(open, ['webchat', 'slack', 'teams']);
    assert.deepEqual(more, []);
    assert.equal(warning?.level, 'warn');
    assert.match(
      warning?.text ?? '',
      /^policy\.allowEveryone is on with slack, teams: everyone listed under people may run every command there/,
    );
    const granted = { ...h.config, roles: { dev: { allow: [{ commands: ['build'] }] } } };
    assert.deepEqual(policyNotices(granted, ['slack']), []);
    const [nobody, ...rest] = policyNotices({ ...granted, people: [] }, ['slack']);
    assert.deepEqual(rest, []);
    assert.equal(nobody?.level, 'warn');
    assert.match(nobody?.text ?? '', /^Nobody is listed under people, .* runs none; add people/);
  });
});

describe('start with everyone-may-run beside a chat platform', () => {
  it('logs one warning sentence at start', async () => {
    const logs: string[] = [];
    const h = await createHarness(harnessConfig, { logs });
    try {
      const warnings = logs
        .map((l) => JSON.parse(l) as { level: number; msg: string })
        .filter((l) => l.level === 40 && l.msg.startsWith('policy.allowEveryone'));
      assert.equal(warnings.length, 1, logs.join(''));
      assert.match(
        warnings[0]?.msg ?? '',
        /^policy\.allowEveryone is on with test: everyone listed under people may run every command there, production deploys included; grant commands under roles\.<role>\.allow and remove allowEveryone\.$/,
      );
    } finally {
      await h.close();
    }
  });
});
