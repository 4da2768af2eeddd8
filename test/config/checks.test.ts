/** Mistakes in deckhand.yaml are found when it loads, each at the line and column of its key. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { ConfigProblem } from '../../src/config/load.ts';
import { at, parseConfig, problems } from '../helpers/config.ts';

const base = `repositories:
  app: { url: ./repo }
pipelines:
  build: { repository: app, steps: [{ name: compile, run: make }] }
commands:
  build: { pipeline: build }
  deploy: { pipeline: build }
people:
  - { id: alice, name: Alice, roles: [developer], chat: { webchat: alice } }
  - { id: bob, name: Bob, roles: [developer], chat: { webchat: bob } }
roles:
  developer:
    allow:
      - { commands: [build, status] }
      - { commands: [deploy], environments: [staging] }
channels:
  general: {}
environments:
  - { name: staging }
`;

const edit = (from: string, to: string) => {
  assert.ok(base.includes(from), from);
  return base.replace(from, to);
};

interface Mistake {
  name: string;
  text: string;
  path: string;
  /** The token the problem points at (its first character), and which occurrence. */
  token: string;
  nth?: number;
  message: RegExp;
}

const mistakes: Mistake[] = [
  {
    name: 'a grant names a mistyped command',
    text: edit('[build, status]', '[biuld, status]'),
    path: 'roles.developer.allow.0.commands.0',
    token: 'biuld',
    message: /^unknown command "biuld"; did you mean "build"\?$/,
  },
  {
    name: 'a grant names an unknown family',
    text: edit('commands: [deploy]', 'commands: [infra deploy]'),
    path: 'roles.developer.allow.1.commands.0',
    token: 'infra deploy',
    message: /^unknown command family "infra" \(command families: ci, ops, incident, oncall\)$/,
  },
  {
    name: "a grant names a family's mistyped command",
    text: edit('commands: [deploy]', 'commands: [ci depoly]'),
    path: 'roles.developer.allow.1.commands.0',
    token: 'ci depoly',
    message: /^unknown \/ci command "depoly"; did you mean "deploy"\?$/,
  },
  {
    name: 'a grant names a mistyped environment',
    text: edit('environments: [staging] }', 'environments: [stagin] }'),
    path: 'roles.developer.allow.1.environments.0',
    token: 'stagin]',
    message: /^unknown environment "stagin"; did you mean "staging"\?$/,
  },
  {
    name: 'a grant has a mistyped key',
    text: edit('environments: [staging] }', 'enviroments: [staging] }'),
    path: 'roles.developer.allow.1.enviroments',
    token: 'enviroments',
    message: /^unknown key "enviroments"; did you mean "environments"\?$/,
  },
  {
    name: 'a channel policy names an unknown channel',
    text: `${base}policy:\n  channels:\n    - { commands: [deploy], channels: [genral] }\n`,
    path: 'policy.channels.0.channels.0',
    token: 'genral',
    message: /^unknown channel "genral"; did you mean "general"\?$/,
  },
  {
    name: 'a channel policy names an unknown command',
    text: `${base}policy:\n  channels:\n    - { commands: [deplyo], channels: [general] }\n`,
    path: 'policy.channels.0.commands.0',
    token: 'deplyo',
    message: /^unknown command "deplyo"; did you mean "deploy"\?$/,
  },
  {
    name: 'a notification route names an unknown environment',
    text: `${base}notifications:\n  - { kind: deploy, environment: [prod], channels: [general] }\n`,
    path: 'notifications.0.environment.0',
    token: 'prod',
    message: /^unknown environment "prod"; add it under environments \(environments: staging\)$/,
  },
  {
    name: 'a notification route names an unknown channel',
    text: `${base}notifications:\n  - { kind: build, channels: [bilds] }\n`,
    path: 'notifications.0.channels.0',
    token: 'bilds',
    message: /^unknown channel "bilds"; add it under channels \(channels: general\)$/,
  },
  {
    name: 'an approval names an unknown role',
    text: edit(
      '- { name: staging }',
      '- { name: staging, approvals: { roles: [develper], channel: general } }',
    ),
    path: 'environments.0.approvals.roles.0',
    token: 'develper',
    message: /^unknown role "develper"; did you mean "developer"\?$/,
  },
  {
    name: 'an approval names an unknown channel',
    text: edit(
      '- { name: staging }',
      '- { name: staging, approvals: { roles: [developer], channel: genral } }',
    ),
    path: 'environments.0.approvals.channel',
    token: 'channel: genral',
    message: /^unknown channel "genral"; did you mean "general"\?$/,
  },
  {
    name: 'a freeze names an unknown environment',
    text: `${base}freezes:\n  - { name: xmas, from: 2026-12-24, to: 2026-12-26, environments: [prod] }\n`,
    path: 'freezes.0.environments.0',
    token: 'prod',
    message: /^unknown environment "prod"/,
  },
  {
    name: 'a freeze names a mistyped command',
    text: `${base}freezes:\n  - { name: xmas, from: 2026-12-24, to: 2026-12-26, commands: [deplyo] }\n`,
    path: 'freezes.0.commands.0',
    token: 'deplyo',
    message: /^unknown command "deplyo"; did you mean "deploy"\?$/,
  },
  {
    name: 'a pipeline names an unknown repository',
    text: edit('{ repository: app,', '{ repository: ap,'),
    path: 'pipelines.build.repository',
    token: 'repository: ap,',
    message: /^unknown repository "ap"; did you mean "app"\?$/,
  },
  {
    name: 'two people share one chat identity',
    text: edit('chat: { webchat: bob }', 'chat: { webchat: alice }'),
    path: 'people.1.chat.webchat',
    token: 'webchat: alice',
    nth: 2,
    message: /^webchat user "alice" is given to both alice and bob; one chat identity is one person$/,
  },
  {
    name: 'nobody holds a role that grants a command',
    text: base.replaceAll('roles: [developer]', 'roles: []'),
    path: 'people',
    token: 'people:',
    message: /^nobody could run a command: no person has a role that grants one \(developer\)/,
  },
  {
    name: 'everyone-may-run beside grants',
    text: `${base}policy: { allowEveryone: true }\n`,
    path: 'policy.allowEveryone',
    token: 'allowEveryone',
    message: /grants of developer decide nothing; remove allowEveryone \(or the grants\)$/,
  },
  {
    name: 'a mistyped key in a section',
    text: `server:\n  prot: 3000\n${base}`,
    path: 'server.prot',
    token: 'prot',
    message: /^unknown key "prot"; did you mean "port"\?$/,
  },
  {
    name: "a mistyped key in a module's section",
    text: `${base}slack:\n  comand: /ci\n`,
    path: 'slack.comand',
    token: 'comand',
    message: /^unknown key "comand"; did you mean "command"\?$/,
  },
  {
    name: 'a stray top-level key at the end of the file',
    text: `${base}\nslak:\n  command: /ci\n`,
    path: 'slak',
    token: 'slak',
    message: /^unknown key "slak"; did you mean "slack"\?$/,
  },
];

describe('config checks', () => {
  it('the base config is valid', () => {
    const config = parseConfig(base, '/srv/deckhand/deckhand.yaml', {});
    assert.deepEqual(Object.keys(config.roles), ['developer']);
  });

  for (const m of mistakes) {
    it(`finds: ${m.name}`, () => {
      const found = problems(m.text);
      assert.equal(found.length, 1, JSON.stringify(found));
      const [p] = found as [ConfigProblem];
      assert.equal(p.path, m.path);
      assert.match(p.message, m.message);
      assert.deepEqual({ line: p.line, column: p.column }, at(m.text, m.token, m.nth));
    });
  }

  it('a config with no grants loads (only reading commands will run); so does allowEveryone', () => {
    const text = base.replace(/developer:\n {4}allow:\n( {6}- .*\n)+/, 'developer: {}\n');
    const config = parseConfig(text, '/x/deckhand.yaml', {});
    assert.deepEqual(config.roles.developer?.allow, []);
    assert.ok(config.reading.includes('status') && !config.reading.includes('deploy'));
    const open = parseConfig(`${text}policy: { allowEveryone: true }\n`, '/x/deckhand.yaml', {});
    assert.equal(open.policy.allowEveryone, true);
  });

  it('an empty file, or one of only comments, is an error at line 1', () => {
    for (const text of ['', '\n\n', '# nothing here yet\n']) {
      const [p, ...rest] = problems(text);
      assert.deepEqual(rest, []);
      assert.deepEqual({ line: p?.line, column: p?.column }, { line: 1, column: 1 });
      assert.match(p?.message ?? '', /the file is empty; start from one of the examples/);
    }
  });

  it('a YAML syntax error shows the line with a caret under the column, no parser dump', () => {
    const text = 'server:\n  port: 3000\n  host: "127.0.0.1\n';
    const [p] = problems(text);
    assert.equal(p?.line, 3);
    // The parser finds the quote missing where the line ends.
    assert.equal(p?.column, 19);
    assert.match(p?.message ?? '', /^YAML syntax: Missing closing "quote$/);
    assert.equal(p?.excerpt, '3 |   host: "127.0.0.1\n  |                   ^');
  });
});

describe('deckhand check-config on broken files', () => {
  const bin = path.resolve('bin/deckhand.js');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'deckhand-checks-'));
  const check = (name: string, text: string) => {
    const file = path.join(dir, `${name}.yaml`);
    writeFileSync(file, text);
    const run = spawnSync(process.execPath, [bin, 'check-config', '--config', file], { encoding: 'utf8' });
    return { file, ...run };
  };

  it('points at a stray key at the end of the file and at a mistyped grant, with suggestions', () => {
    const text = `${base.replace('[build, status]', '[biuld, status]')}\nslak:\n  command: /ci\n`;
    const { file, status, stderr, stdout } = check('two', text);
    assert.equal(status, 2, stdout);
    const grant = at(text, 'biuld');
    const stray = at(text, 'slak');
    assert.equal(
      stderr,
      `${file} has 2 problems:\n` +
        `  ${file}:${grant.line}:${grant.column}: roles.developer.allow.0.commands.0: unknown command "biuld"; did you mean "build"?\n` +
        `  ${file}:${stray.line}:1: slak: unknown key "slak"; did you mean "slack"?\n`,
    );
  });

  it('shows a YAML syntax error with a caret, and an empty file, without a stack', () => {
    const syntax = check('syntax', 'server:\n  port: [1, 2\n');
    assert.equal(syntax.status, 2);
    assert.equal(
      syntax.stderr,
      `${syntax.file} has 1 problem:\n` +
        `  ${syntax.file}:2:14: YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]\n` +
        '      2 |   port: [1, 2\n' +
        '        |              ^\n',
    );
    const empty = check('empty', '');
    assert.equal(empty.status, 2);
    assert.match(empty.stderr, new RegExp(`${empty.file}:1:1: the file is empty`));
    assert.doesNotMatch(syntax.stderr + empty.stderr, /\n\s+at /);
  });

  it('says in one line that nothing is granted, and warns when everyone may run everything on Slack', () => {
    const ungranted = base.replace(/developer:\n {4}allow:\n( {6}- .*\n)+/, 'developer: {}\n');
    const quiet = check('ungranted', ungranted);
    assert.equal(quiet.status, 0, quiet.stderr);
    assert.match(
      quiet.stdout,
      /\ninfo: No role grants any command: only commands that read run \(audit, envs, escalation, help, history, locks, now, stats, status, timeline, whoami\); everything else is refused until you grant it under roles\.<role>\.allow\.\n$/,
    );
    const open = check('open', `${ungranted}policy: { allowEveryone: true }\nslack: { command: /ci }\n`);
    assert.equal(open.status, 0, open.stderr);
    assert.match(
      open.stderr,
      /^warn: policy\.allowEveryone is on with slack: everyone listed under people may run every command there, production deploys included/,
    );
  });
});
