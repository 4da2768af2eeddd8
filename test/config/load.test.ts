import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig, parseConfig, problems } from '../helpers/config.ts';

const base = `
repositories:
  app: { url: ./repo }
pipelines:
  build:
    repository: app
    steps: [{ name: compile, run: make }]
commands:
  build: { pipeline: build }
`;

describe('config', () => {
  it('fills defaults and resolves relative paths against the config folder', () => {
    const c = parseConfig(base, '/srv/deckhand/deckhand.yaml', {});
    assert.equal(c.server.port, 3000);
    assert.equal(c.server.host, '127.0.0.1');
    assert.equal(c.paths.dataDir, '/srv/deckhand/.deckhand');
    assert.equal(c.paths.sqlite, '/srv/deckhand/.deckhand/deckhand.db');
    assert.equal(c.repositories.app?.url, '/srv/deckhand/repo');
    assert.equal(c.pipelines.build?.timeout, 15 * 60 * 1000);
  });

  it('interpolates $VAR references, with defaults, typing unquoted numbers', () => {
    const c = parseConfig(
      `server:\n  port: \${PORT:-3000}\n  publicUrl: "https://\${HOST}"\n${base}`,
      '/x/d.yaml',
      {
        PORT: '8080',
        HOST: 'bot.example.com',
      },
    );
    assert.equal(c.server.port, 8080);
    assert.equal(c.server.publicUrl, 'https://bot.example.com');
  });

  it('reads file: secrets relative to the config and remembers secret values', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'deckhand-secret-'));
    writeFileSync(path.join(dir, 'token'), 'from-a-file\n');
    const text = `slack:\n  botToken: \${file:token}\n  signingSecret: \${SIGNING}\n  apiUrl: \${API_URL}\n${base}`;
    const c = parseConfig(text, path.join(dir, 'deckhand.yaml'), {
      SIGNING: 'sign-me-please',
      API_URL: 'https://slack.example.com/api/',
    });
    assert.equal((c.sections.slack as { botToken?: string } | undefined)?.botToken, 'from-a-file');
    assert.deepEqual(c.secrets.sort(), ['from-a-file', 'sign-me-please'], 'the URL is not a secret');
    const missing = problems(`slack:\n  botToken: \${file:/nonexistent/x}\n${base}`);
    assert.match(missing[0]?.message ?? '', /cannot read secret file \/nonexistent\/x: ENOENT/);
  });

  it('keeps remote repository URLs as they are', () => {
    const c = parseConfig(base.replace('./repo', 'https://git.example.com/app.git'), '/x/d.yaml', {});
    assert.equal(c.repositories.app?.url, 'https://git.example.com/app.git');
  });

  const mistakes: [string, string, { path: string; line?: number; message: RegExp }][] = [
    [
      'unset variable',
      `server:\n  port: \${NOPE}\n${base}`,
      { path: 'server.port', line: 2, message: /NOPE is not set/ },
    ],
    [
      'typo in a key',
      `server:\n  prot: 1\n${base}`,
      { path: 'server.prot', line: 2, message: /unknown key "prot"; did you mean "port"\?/ },
    ],
    [
      'bad duration',
      base.replace('    repository: app\n', '    repository: app\n    timeout: soon\n'),
      { path: 'pipelines.build.timeout', line: 7, message: /not a duration/ },
    ],
    [
      'unknown pipeline',
      `${base}  test: { pipeline: nope }\n`,
      { path: 'commands.test.pipeline', line: 10, message: /unknown pipeline "nope"/ },
    ],
    [
      'unknown channel in a route',
      `${base}notifications:\n  - { kind: build, channels: [nowhere] }\n`,
      { path: 'notifications.0.channels.0', line: 11, message: /unknown channel "nowhere"/ },
    ],
    [
      'unknown role',
      `${base}people:\n  - { id: al, name: Al, roles: [god] }\n`,
      { path: 'people.0.roles.0', line: 11, message: /unknown role "god"/ },
    ],
    [
      'bad kind',
      `${base}channels: { x: {} }\nnotifications:\n  - { kind: party, channels: [x] }\n`,
      { path: 'notifications.0.kind', line: 12, message: /Invalid/ },
    ],
    [
      'bad id',
      `${base}environments:\n  - { name: "prod env" }\n`,
      { path: 'environments.0.name', line: 11, message: /letters, digits/ },
    ],
    [
      'pipeline without steps',
      `repositories: { app: { url: . } }\npipelines:\n  b: { repository: app, steps: [] }\n`,
      { path: 'pipelines.b.steps', line: 3, message: /at least one step/ },
    ],
  ];
  for (const [name, text, expected] of mistakes) {
    it(`explains: ${name}`, () => {
      const found = problems(text);
      const match = found.find((p) => p.path === expected.path);
      assert.ok(match, `no problem at ${expected.path}: ${JSON.stringify(found)}`);
      assert.match(match.message, expected.message);
      if (expected.line) assert.equal(match.line, expected.line);
    });
  }

  it('reports YAML syntax errors with a line', () => {
    const [p] = problems('server:\n  port: [1, 2\n');
    assert.ok(p?.line && p.line >= 2, JSON.stringify(p));
  });

  it('says how to fix a missing file', async () => {
    await assert.rejects(
      loadConfig('/nonexistent/deckhand.yaml', {}),
      /file not found; pass --config FILE or set DECKHAND_CONFIG/,
    );
  });
});

describe('deckhand check-config', () => {
  const bin = path.resolve('bin/deckhand.js');
  it('accepts the demo config', () => {
    const out = execFileSync(process.execPath, [bin, 'check-config', 'examples/demo/deckhand.yaml'], {
      encoding: 'utf8',
    });
    assert.match(out, /is valid: 4 people, 3 pipelines, 2 environments/);
  });
  it('exits 2 and lists each problem with its path and line', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'deckhand-config-'));
    const file = path.join(dir, 'deckhand.yaml');
    writeFileSync(file, `server:\n  port: high\n${base}`);
    const result = spawnSync(process.execPath, [bin, 'check-config', '--config', file], { encoding: 'utf8' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /has 1 problem:\n {2}\S+deckhand\.yaml:2:3: server\.port: .*expected number/);
  });
});
