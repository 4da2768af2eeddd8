/** The order of environments as a gate, and a promote gated as the deploy it is. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Catalog } from '../../src/core/catalog.ts';
import { deployOrder, isVersion } from '../../src/core/deployments.ts';
import { freezeOf } from '../../src/core/gates/checks.ts';
import { orderLabel, orderRefusal } from '../../src/core/gates/order.ts';
import { type GateConfig, requirements } from '../../src/core/gates/requirements.ts';
import type { DeploymentRecord, DeploymentStore } from '../../src/core/store.ts';

const config: GateConfig = {
  confirmCommands: ['deploy'],
  protectedEnvironments: [],
  confirmMs: 60_000,
  approvals: { production: { count: 1, roles: ['sre'], commands: ['deploy'] } },
  approvalMs: 3_600_000,
  sameAs: { promote: 'deploy' },
};

let nextId = 1;
const record = (over: Partial<DeploymentRecord>): DeploymentRecord => ({
  id: nextId++,
  environment: 'staging',
  version: 'v1.0.0',
  runId: nextId,
  kind: 'deploy',
  requestedBy: 'alice',
  result: 'succeeded',
  createdAt: new Date(0),
  ...over,
});

/** Deployments in memory, newest first as the store answers. */
function memoryDeployments(list: DeploymentRecord[]): DeploymentStore {
  const of = (environment: string) => list.filter((d) => d.environment === environment).reverse();
  return {
    create: async () => assert.fail('not used'),
    finish: async () => undefined,
    history: async (environment, limit) => of(environment).slice(0, limit),
    current: async (environment) => of(environment).find((d) => d.result === 'succeeded'),
  };
}

const catalog = {
  pipelineFor: () => 'p',
  defaultBranch: () => 'main',
} as unknown as Catalog;

describe('a promote gated as a deploy', () => {
  const cases: { name: string; command: string; confirm: boolean; rules: number }[] = [
    { name: 'a deploy', command: 'deploy', confirm: true, rules: 1 },
    { name: 'a promote (as a deploy)', command: 'promote', confirm: true, rules: 1 },
    { name: 'a rollback (not listed)', command: 'rollback', confirm: false, rules: 0 },
  ];
  for (const c of cases) {
    it(`${c.name}: confirmations and approvals`, () => {
      const need = requirements(config, c.command, 'production');
      assert.equal(need.confirm, c.confirm);
      assert.equal(need.rules.length, c.rules);
    });
  }

  it('a freeze on deploys stops promotes; one on promotes alone does too', () => {
    const hit = { name: 'weekend', sentence: 'Frozen.', breakGlassRoles: ['sre'] };
    const deploys = (_e: string, command: string) => (command === 'deploy' ? hit : undefined);
    assert.equal(freezeOf(config, deploys, 'production', 'promote', new Date()), hit);
    assert.equal(freezeOf(config, deploys, 'production', 'rollback', new Date()), undefined);
    const promotes = (_e: string, command: string) => (command === 'promote' ? hit : undefined);
    assert.equal(freezeOf(config, promotes, 'production', 'promote', new Date()), hit);
    assert.equal(
      freezeOf({ ...config, sameAs: undefined }, deploys, 'production', 'promote', new Date()),
      undefined,
    );
  });

  it('a break-glass out of order adds its own rule', () => {
    const need = requirements(config, 'promote', 'production', undefined, {
      sentence: 'x',
      breakGlassRoles: ['sre'],
    });
    assert.deepEqual(need.rules.at(-1), { roles: ['sre'], count: 1, label: orderLabel });
  });
});

describe('the order of environments', () => {
  const store = memoryDeployments([
    record({ environment: 'staging', version: 'v1.0.0', commitSha: 'a'.repeat(40) }),
    record({ environment: 'staging', version: 'v1.1.0', result: 'failed' }),
    record({ environment: 'staging', version: 'main', commitSha: `3f2c1ab${'0'.repeat(33)}` }),
    record({ environment: 'dev', version: 'v1.1.0', commitSha: 'b'.repeat(40) }),
    record({ environment: 'qa', version: 'release', commitSha: 'a'.repeat(40) }),
  ]);
  const order = deployOrder({
    after: { production: 'staging' },
    breakGlassRoles: ['sre'],
    deployments: store,
    catalog,
  });
  const judge = (command: string, args: Record<string, string>) =>
    order.check({ command, args, environment: args.environment });

  const cases: { name: string; command: string; args: Record<string, string>; out: boolean }[] = [
    {
      name: 'a version that succeeded in staging',
      command: 'deploy',
      args: { environment: 'production', version: 'v1.0.0' },
      out: false,
    },
    {
      name: 'a version that only failed in staging',
      command: 'deploy',
      args: { environment: 'production', version: 'v1.1.0' },
      out: true,
    },
    {
      name: 'a commit that succeeded in staging, by its short SHA',
      command: 'deploy',
      args: { environment: 'production', version: '3f2c1ab' },
      out: false,
    },
    {
      name: 'the default branch when no version is given',
      command: 'deploy',
      args: { environment: 'production' },
      out: false,
    },
    {
      name: 'an environment without an order',
      command: 'deploy',
      args: { environment: 'staging', version: 'v9.0.0' },
      out: false,
    },
    {
      name: 'a promote of what never reached staging',
      command: 'promote',
      args: { from: 'dev', environment: 'production' },
      out: true,
    },
    {
      name: 'a promote of the same commit under another name',
      command: 'promote',
      args: { from: 'qa', environment: 'production' },
      out: false,
    },
    {
      name: 'a rollback (it ran there before)',
      command: 'rollback',
      args: { environment: 'production' },
      out: false,
    },
  ];
  for (const c of cases) {
    it(`${c.out ? 'refuses' : 'allows'} ${c.name}`, async () => {
      const hit = await judge(c.command, c.args);
      assert.equal(hit !== undefined, c.out, hit?.sentence);
      if (hit) assert.match(hit.sentence, /has not succeeded in `staging`, which comes before `production`/);
    });
  }

  it('says how to go ahead, or that nobody can', () => {
    const hit = { sentence: 'Out of order.', breakGlassRoles: ['sre', 'release-manager'] };
    const input = { command: 'deploy', args: {}, environment: 'production' };
    assert.equal(
      orderRefusal(input, hit),
      'Out of order. To go ahead anyway, ask for a break-glass approval from sre or release-manager: add `--break-glass "why"` to the command.',
    );
    assert.equal(orderRefusal({ ...input, args: { 'break-glass': 'outage' } }, hit), undefined);
    assert.match(
      orderRefusal({ ...input, args: { 'break-glass': 'outage' } }, { ...hit, breakGlassRoles: [] }) ?? '',
      /Nobody can approve a deploy out of order: list roles under `deployments\.breakGlass\.roles`/,
    );
  });

  it('matches versions by name, by commit, and by a short SHA', () => {
    const d = record({ version: 'main', commitSha: 'c0ffee1234567890' });
    assert.equal(isVersion(d, 'main'), true);
    assert.equal(isVersion(d, 'c0ffee1'), true);
    assert.equal(isVersion(d, 'v2.0.0', 'c0ffee1234567890'), true);
    assert.equal(isVersion(d, 'v2.0.0'), false);
  });
});
