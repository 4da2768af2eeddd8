/** `runbooks:` mistakes are found when deckhand.yaml loads, each at its path, with a way to fix it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configProblems, parseConfig } from '../helpers/config.ts';

const base = `repositories:
  app: { url: ./repo }
pipelines:
  smoke: { repository: app, steps: [{ name: s, run: "true" }] }
people:
  - { id: alice, name: Alice, roles: [sre] }
roles:
  sre: {}
  lead: {}
channels:
  general: {}
  approvals: {}
environments:
  - { name: staging }
  - { name: production }
`;

const runbook = (body: string, extra = '') =>
  `${base}${extra}runbooks:\n  restart:\n${body
    .trim()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n')}\n`;

const good = `
summary: Restart a service
roles: [sre]
args:
  - { name: service, values: [web-service, worker] }
  - { name: environment }
steps:
  - name: restart
    command: { argv: [systemctl, restart, "{{service}}"], env: { TARGET: "{{environment}}" } }
    check: { http: { url: "https://status.example.com/{{service}}", method: GET } }
    undo: { pipeline: { name: smoke } }
`;

/** Each problem as `path: message`; none for a valid config. */
const problems = (text: string, env: Record<string, string> = {}): string[] =>
  configProblems(text, env).map((p) => `${p.path}: ${p.message}`);

describe('config: runbooks', () => {
  it('reads a runbook with its defaults', () => {
    const config = parseConfig(runbook(good), '/srv/deckhand/deckhand.yaml', {});
    const r = config.runbooks.restart;
    assert.ok(r);
    assert.equal(r.confirm, false);
    assert.deepEqual(r.args[1], { name: 'environment', description: '', optional: false });
    assert.equal(r.steps[0]?.check?.http?.method, 'GET');
    assert.equal(r.steps[0]?.command?.argv[2], '{{service}}');
  });

  it('lets grants and channel rules name a runbook as an /ops command', () => {
    const extra = 'policy:\n  channels: [{ commands: [ops restart], channels: [general] }]\n';
    assert.deepEqual(problems(runbook(good, extra)), []);
    const typo = 'policy:\n  channels: [{ commands: [ops restrat], channels: [general] }]\n';
    assert.deepEqual(problems(runbook(good, typo)), [
      'policy.channels.0.commands.0: unknown /ops command "restrat"; did you mean "restart"?',
    ]);
  });

  const mistakes: [string, string, string | RegExp][] = [
    [
      'an unknown role',
      good.replace('roles: [sre]', 'roles: [sr]'),
      'runbooks.restart.roles.0: unknown role "sr"; did you mean "sre"?',
    ],
    [
      'an unknown pipeline',
      good.replace('name: smoke', 'name: smok'),
      'runbooks.restart.steps.0.undo.pipeline.name: unknown pipeline "smok"; did you mean "smoke"?',
    ],
    [
      'an unknown environment',
      `${good.replace('  - { name: environment }\n', '')}environment: prod`,
      /runbooks\.restart\.environment: unknown environment "prod"/,
    ],
    [
      'an argument a template does not have',
      good.replace('status.example.com/{{service}}', 'status.example.com/{{servce}}'),
      'runbooks.restart.steps.0.check.http.url: {{servce}} is not an argument of this runbook; did you mean {{service}}?',
    ],
    [
      'an argument inside an argv item',
      good.replace('"{{service}}"]', '"unit-{{service}}"]'),
      /runbooks\.restart\.steps\.0\.command\.argv\.2: an argument fills a whole item, never part of one/,
    ],
    [
      'an argument that says nothing of what it accepts',
      good.replace(', values: [web-service, worker]', ''),
      /runbooks\.restart\.args\.0: say what it accepts/,
    ],
    [
      'a step with two kinds',
      good.replace(
        '    undo: { pipeline: { name: smoke } }',
        '    undo: { pipeline: { name: smoke }, command: { argv: [x] } }',
      ),
      /undo: give exactly one of/,
    ],
    [
      'approvals with no channel',
      `${good}approvals: { roles: [lead] }`,
      /runbooks\.restart\.approvals: set `channel:`/,
    ],
    ['an unknown key', `${good}confrim: true`, /runbooks\.restart\.confrim: .*confirm/],
  ];
  for (const [name, body, expected] of mistakes) {
    it(`refuses ${name}`, () => {
      const found = problems(runbook(body));
      assert.equal(found.length, 1, found.join('\n'));
      if (typeof expected === 'string') assert.equal(found[0], expected);
      else assert.match(found[0] as string, expected);
    });
  }

  it('refuses a runbook named like a command every family has', () => {
    const found = problems(runbook(good).replace('  restart:\n', '  cancel:\n'));
    assert.deepEqual(found, [
      'runbooks.cancel: "cancel" is a command every family has; name the runbook something else',
    ]);
  });

  it('refuses a runbook named like a command of another family', () => {
    const found = problems(runbook(good).replace('  restart:\n', '  deploy:\n'));
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(found[0] as string, /^runbooks\.deploy: "deploy" is already `\/ci deploy`/);
  });

  it('refuses a secret header whose variable is not set', () => {
    const ref = ['$', '{OPS_TOKEN}'].join('');
    const body = `${good}\n`.replace(
      'method: GET }',
      `method: GET, secretHeaders: { Authorization: "Bearer ${ref}" } }`,
    );
    assert.match(problems(runbook(body)).join('\n'), /environment variable OPS_TOKEN is not set/);
    assert.deepEqual(problems(runbook(body), { OPS_TOKEN: 'tok-123456789' }), []);
  });
});
