/** `deployments:` mistakes are found at load, each at its path, with a guess where one fits. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, type ConfigProblem } from '../../src/config/load.ts';
import { parseConfig } from '../helpers/config.ts';

const base = `repositories:
  app: { url: ./repo }
pipelines:
  p: { repository: app, steps: [{ name: s, run: "true" }] }
commands:
  deploy: { pipeline: p }
people:
  - { id: alice, name: Alice, roles: [sre], chat: { webchat: alice } }
roles:
  sre: { allow: [{ commands: "*" }] }
channels:
  deploys: {}
environments:
  - { name: staging, order: 1 }
  - { name: production, order: 2 }
  - { name: qa, order: 3 }
`;

function problems(deployments: string): ConfigProblem[] {
  try {
    parseConfig(`${base}deployments:\n${deployments}`, '/srv/deckhand/deckhand.yaml', {});
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
  return [];
}

const cases: { name: string; yaml: string; path: string; message: RegExp }[] = [
  {
    name: 'an environment that does not exist, with a guess',
    yaml: '  after: { production: stagin }',
    path: 'deployments.after.production',
    message: /^unknown environment "stagin"; did you mean "staging"\?$/,
  },
  {
    name: 'an environment after itself',
    yaml: '  after: { production: production }',
    path: 'deployments.after.production',
    message: /cannot come after itself/,
  },
  {
    name: 'an order that loops',
    yaml: '  after: { production: staging, staging: qa, qa: production }',
    path: 'deployments.after.production',
    message: /^the order loops: production after staging after qa after production$/,
  },
  {
    name: 'a break-glass role that does not exist',
    yaml: '  breakGlass: { roles: [sr] }',
    path: 'deployments.breakGlass.roles.0',
    message: /^unknown role "sr"; did you mean "sre"\?$/,
  },
  {
    name: 'an outside channel that does not exist',
    yaml: '  outsideChannel: deploy',
    path: 'deployments.outsideChannel',
    message: /^unknown channel "deploy"; did you mean "deploys"\?$/,
  },
  {
    name: 'a mistyped key',
    yaml: '  outsideChanel: deploys',
    path: 'deployments.outsideChanel',
    message: /outsideChannel/,
  },
];

describe('deployments config', () => {
  for (const c of cases) {
    it(`refuses ${c.name}`, () => {
      const found = problems(c.yaml);
      const hit = found.find((p) => p.path === c.path);
      assert.ok(hit, `a problem at ${c.path}; got ${JSON.stringify(found)}`);
      assert.match(hit.message, c.message);
    });
  }

  it('accepts an order, its break-glass roles and a channel, and defaults to none', () => {
    const config = parseConfig(
      `${base}deployments:\n  after: { production: staging }\n  breakGlass: { roles: [sre] }\n  outsideChannel: deploys\n`,
      '/srv/deckhand/deckhand.yaml',
      {},
    );
    assert.deepEqual(config.deployments, {
      after: { production: 'staging' },
      breakGlass: { roles: ['sre'] },
      outsideChannel: 'deploys',
    });
    const plain = parseConfig(base, '/srv/deckhand/deckhand.yaml', {});
    assert.deepEqual(plain.deployments, { after: {}, breakGlass: { roles: [] } });
  });
});
