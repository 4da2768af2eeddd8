import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runbooksSchema } from '../../../src/config/runbooks.ts';
import type { PersonInfo } from '../../../src/core/people.ts';
import { policyOptions } from '../../../src/core/policy.ts';
import { RunbookPolicy } from '../../../src/core/runbooks/policy.ts';

const runbooks = runbooksSchema.parse({
  restart: {
    summary: 'r',
    roles: ['sre'],
    args: [{ name: 'environment' }],
    steps: [{ name: 's', command: { argv: ['true'] } }],
  },
  orphan: { summary: 'o', steps: [{ name: 's', command: { argv: ['true'] } }] },
});

const person = (roles: string[]): PersonInfo => ({ id: 'p', name: 'P', roles, chat: {}, emails: [] });

const policy = (
  extra: { allowEveryone?: boolean; channels?: { commands: string[]; channels: string[] }[] } = {},
) =>
  new RunbookPolicy(
    policyOptions({
      roles: { sre: { allow: [] }, admin: { allow: [{ commands: ['*'] }] } },
      policy: { channels: extra.channels ?? [], allowEveryone: extra.allowEveryone },
      channels: { ops: {}, general: {} },
    }),
    runbooks,
  );

const ask = (p: RunbookPolicy, roles: string[], command: string, channel = 'general') =>
  p.decide({
    person: person(roles),
    platform: 'webchat',
    userId: 'p',
    channel,
    family: 'ops',
    command,
    args: {},
  });

describe('runbook policy', () => {
  it('a role the runbook lists is its grant', () => {
    const decision = ask(policy(), ['sre'], 'restart');
    assert.equal(decision.allowed, true);
    assert.equal(decision.rule, 'role:sre');
  });

  it('a wildcard grant or allowEveryone alone does not open a runbook', () => {
    assert.equal(ask(policy(), ['admin'], 'restart').rule, 'runbook-roles');
    const open = ask(policy({ allowEveryone: true }), [], 'restart');
    assert.equal(open.allowed, false);
    assert.match(open.reason ?? '', /it is for sre, and you have no role/);
  });

  it('nobody may run a runbook that lists no role, and the refusal says where to add them', () => {
    const decision = ask(policy(), ['sre', 'admin'], 'orphan');
    assert.equal(decision.allowed, false);
    assert.match(decision.reason ?? '', /`runbooks\.orphan\.roles`/);
  });

  it('channel rules still apply to a runbook', () => {
    const p = policy({ channels: [{ commands: ['ops restart'], channels: ['ops'] }] });
    assert.equal(ask(p, ['sre'], 'restart', 'general').allowed, false);
    assert.equal(ask(p, ['sre'], 'restart', 'ops').allowed, true);
  });

  it('permissions list only the runbooks a person may run, and leave other families alone', () => {
    const p = policy();
    assert.deepEqual(
      [...p.permissions(person(['admin']), 'ops', ['restart', 'orphan', 'help']).keys()],
      ['help'],
    );
    assert.deepEqual([...p.permissions(person(['sre']), 'ops', ['restart', 'orphan']).keys()], ['restart']);
    assert.deepEqual([...p.permissions(person(['admin']), 'ci', ['restart']).keys()], ['restart']);
  });

  it('runbook roles take nothing away: with no other grant, commands that read still run for everyone', () => {
    const p = new RunbookPolicy(
      policyOptions({
        roles: { sre: { allow: [] } },
        policy: { channels: [] },
        channels: {},
        reading: ['status'],
      }),
      runbooks,
    );
    const status = p.decide({
      person: person([]),
      platform: 'webchat',
      userId: 'p',
      channel: 'general',
      family: 'ci',
      command: 'status',
      args: {},
    });
    assert.equal(status.allowed, true);
    assert.equal(ask(p, [], 'deploy').allowed, false);
    assert.equal(ask(p, ['sre'], 'restart').allowed, true);
    assert.deepEqual([...p.permissions(person([]), 'ci', ['status', 'deploy']).keys()], ['status']);
  });
});
