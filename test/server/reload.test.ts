import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createDeckhand } from '../../src/server/deckhand.ts';
import { loadConfig } from '../helpers/config.ts';
import { eventually } from '../helpers/recording-sender.ts';
import { webchatDriver } from '../helpers/webchat-driver.ts';

const secret = 'reloaded-secret-8c1e77';
/** deckhand.yaml's own `${file:…}` syntax, written out as text. */
const fileRef = ['$', '{file:token.txt}'].join('');

const yaml = (extra: { bob?: boolean; pipelineEnv?: boolean; broken?: boolean } = {}) => `
database: { dataDir: ./data }
repositories:
  app: { url: ./repo }
people:
  - { id: alice, name: Alice, roles: [viewer] }
${extra.bob ? '  - { id: bob, name: Bob, roles: [viewer] }' : ''}
roles:
  viewer: { allow: [{ commands: [status${extra.bob ? ', locks' : ''}] }] }
channels:
  general: {}
commands:
  deploy: { pipeline: p }
environments:
  - { name: staging }
pipelines:
  p:
    repository: app
    steps: [{ name: s, run: "true" }]
${extra.pipelineEnv ? `    env: { API_TOKEN: "${fileRef}" }` : ''}
${extra.broken ? 'nonsense: true' : ''}
`;

const setup = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'deckhand-reload-'));
  const file = path.join(dir, 'deckhand.yaml');
  writeFileSync(path.join(dir, 'token.txt'), secret);
  writeFileSync(file, yaml());
  return { dir, file };
};

describe('config reload', () => {
  it('applies people, roles and policy at once, names what needs a restart, and audits both outcomes', async () => {
    const { file } = setup();
    const deckhand = await createDeckhand({ config: await loadConfig(file, {}), env: {} });
    await deckhand.startWorkers();
    const chat = webchatDriver(deckhand.app);
    try {
      await chat.say('/ci whoami', 'bob');
      await chat.waitFor('general', /I don't know you yet/);

      writeFileSync(file, yaml({ bob: true, pipelineEnv: true }));
      const applied = await deckhand.reload();
      assert.deepEqual(applied, { applied: ['people', 'roles'], restart: ['pipelines'] });
      await chat.say('/ci whoami', 'bob');
      await chat.waitFor('general', /You are Bob/);
      await chat.say('/ci locks', 'alice');
      await chat.waitFor('general', /No environment is locked/);
      // A secret the reload brought is masked from then on.
      await chat.say(`/ci deploy ${secret}`, 'alice');
      const reply = await chat.waitFor('general', /Unknown environment/);
      const said = (await chat.messages('general')).filter((m) => m.author.bot);
      assert.doesNotMatch(JSON.stringify(said), new RegExp(secret));
      assert.match(reply.text, /\[redacted\]/);

      writeFileSync(file, yaml({ bob: true, broken: true }));
      const refused = await deckhand.reload();
      assert.match(refused.error ?? '', /nonsense/);
      await chat.say('/ci whoami', 'bob');
      await eventually(
        async () => (await chat.messages('general')).filter((m) => /You are Bob/.test(m.text)).length === 2,
        'the config in force to stay',
      );

      const entries = (await deckhand.stores.audit.recent(50)).filter((e) => e.kind.startsWith('config.'));
      assert.deepEqual(
        entries.map((e) => [e.kind, e.decision]),
        [
          ['config.reload', 'rejected:invalid'],
          ['config.reload', 'applied'],
          ['config.loaded', 'applied'],
        ],
      );
      assert.equal(entries[1]?.outcome, 'applied: people, roles; needs a restart: pipelines');
      assert.match(entries[1]?.text ?? '', /^sha256:[0-9a-f]{16}$/);
      assert.match(entries[0]?.outcome ?? '', /^error: .*nonsense/s);
    } finally {
      await deckhand.close();
    }
  });

  it('a reload that fails keeps the running config and logs each problem as check-config prints it', async () => {
    const { file } = setup();
    const logs: string[] = [];
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    });
    const deckhand = await createDeckhand({ config: await loadConfig(file, {}), env: {}, logStream });
    await deckhand.startWorkers();
    const chat = webchatDriver(deckhand.app);
    try {
      const broken = `${yaml().replace('commands: [status]', 'commands: [stauts]')}slak: {}\n`;
      writeFileSync(file, broken);
      const refused = await deckhand.reload();
      assert.match(refused.error ?? '', /has 2 problems/);
      const lines = logs.map((l) => JSON.parse(l) as { level: number; msg: string });
      const source = broken.split('\n');
      const grant = source.findIndex((l) => l.includes('stauts'));
      const stray = source.findIndex((l) => l.startsWith('slak:'));
      const column = (source[grant] ?? '').indexOf('stauts') + 1;
      const said = lines.filter((l) => l.level === 40).map((l) => l.msg);
      assert.ok(
        said.includes(
          `${file}:${grant + 1}:${column}: roles.viewer.allow.0.commands.0: unknown command "stauts"; did you mean "status"?`,
        ),
        said.join('\n'),
      );
      assert.ok(
        said.includes(`${file}:${stray + 1}:1: slak: unknown key "slak"; did you mean "slack"?`),
        said.join('\n'),
      );
      // The config in force stays: Alice's role still grants status.
      await chat.say('/ci whoami', 'alice');
      await chat.waitFor(
        'general',
        /You may run: \/ci status, \/ci whoami, \/ci help, \/incident status, \/incident help, \/oncall help\./,
      );
    } finally {
      await deckhand.close();
    }
  });

  it('`deckhand start` reloads on SIGHUP', async () => {
    const { file } = setup();
    const bin = path.resolve('bin/deckhand.js');
    const child = spawn(process.execPath, [bin, 'start', '--config', file, '--port', '0'], {
      env: { ...process.env, DECKHAND_CONFIG: '' },
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += String(chunk);
    });
    child.stderr.on('data', (chunk) => {
      out += String(chunk);
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await eventually(() => out.includes('deckhand is up'), 'deckhand to start', 30_000);
      writeFileSync(file, yaml({ bob: true }));
      child.kill('SIGHUP');
      await eventually(() => out.includes('config reloaded'), 'a reload', 45_000);
      assert.match(out, /"applied":\["people","roles"\]/);
    } catch (err) {
      const state = `exit code ${child.exitCode}, signal ${child.signalCode}`;
      throw new Error(`${(err as Error).message} (${state}); deckhand said: ${out}`);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});
