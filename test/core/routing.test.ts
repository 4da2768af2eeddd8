import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { globMatch, type Route, routeChannels } from '../../src/core/notify/routing.ts';

const routes: Route[] = [
  { kind: ['build'], channels: ['ci-builds'] },
  { kind: ['build', 'test'], status: ['failed'], branch: ['main', 'release/*'], channels: ['alerts'] },
  { kind: ['deploy', 'rollback'], channels: ['deployments'] },
  { kind: ['deploy'], environment: ['production'], channels: ['ops', 'deployments'] },
  { status: ['cancelled'], channels: ['audit'] },
];

describe('routing rules', () => {
  const table: [string, Parameters<typeof routeChannels>[1], string[]][] = [
    ['build started', { kind: 'build', status: 'running', branch: 'main' }, ['ci-builds']],
    ['queued counts as started', { kind: 'build', status: 'queued', branch: 'x' }, ['ci-builds']],
    ['failed build on main', { kind: 'build', status: 'failed', branch: 'main' }, ['ci-builds', 'alerts']],
    [
      'failed build on release glob',
      { kind: 'build', status: 'failed', branch: 'release/1.0' },
      ['ci-builds', 'alerts'],
    ],
    ['failed build elsewhere', { kind: 'build', status: 'failed', branch: 'feature/x' }, ['ci-builds']],
    ['failed test on main', { kind: 'test', status: 'failed', branch: 'main' }, ['alerts']],
    ['passing test routes nowhere', { kind: 'test', status: 'succeeded', branch: 'main' }, []],
    ['staging deploy', { kind: 'deploy', status: 'running', environment: 'staging' }, ['deployments']],
    [
      'production deploy, no repeats',
      { kind: 'deploy', status: 'succeeded', environment: 'production' },
      ['deployments', 'ops'],
    ],
    [
      'production rollback',
      { kind: 'rollback', status: 'running', environment: 'production' },
      ['deployments'],
    ],
    ['cancelled anything', { kind: 'test', status: 'cancelled', branch: 'x' }, ['audit']],
  ];
  for (const [name, facts, expected] of table) {
    it(name, () => assert.deepEqual(routeChannels(routes, facts), expected));
  }
});

describe('globMatch', () => {
  it('matches one path segment with * and many with **', () => {
    assert.ok(globMatch('release/*', 'release/1.0'));
    assert.ok(!globMatch('release/*', 'release/1.0/hotfix'));
    assert.ok(globMatch('release/**', 'release/1.0/hotfix'));
    assert.ok(globMatch('main', 'main'));
    assert.ok(!globMatch('main', 'main2'));
    assert.ok(!globMatch('a.b', 'axb'), 'dots are literal');
  });
});
