/**
 * `deckhand start` stops on mistakes a person makes with one sentence that says what to do and no
 * stack trace: a port in use, a data folder it cannot create or write, missing credentials.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { writeConfig } from '../server/startup-helpers.ts';

const bin = path.resolve('bin/deckhand.js');

const base = `
people:
  - { id: alice, name: Alice, roles: [developer] }
roles:
  developer:
    allow:
      - { commands: [status] }
`;

/** Runs `deckhand start --config file`, as another user when given; its exit code and output. */
function start(file: string, o: { env?: Record<string, string>; uid?: number } = {}) {
  // Only what node needs: no platform credential leaks in from the test's own environment.
  const env = { PATH: process.env.PATH ?? '', HOME: '/tmp', DECKHAND_FROM_SOURCE: '1', ...o.env };
  const child = spawn(process.execPath, [bin, 'start', '--config', file], {
    env,
    ...(o.uid === undefined ? {} : { uid: o.uid, gid: o.uid }),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** No stack trace: no "    at …" frame and no error class dump. */
function assertNoStack(stderr: string) {
  assert.doesNotMatch(stderr, /^\s+at /m, stderr);
  assert.doesNotMatch(stderr, /StartupError|Error:/, stderr);
}

describe('deckhand start: errors a person can act on', () => {
  const held = createServer();
  after(() => new Promise((resolve) => held.close(resolve)));

  it('a port in use: which port, and how to pick another', async () => {
    await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', resolve));
    const { port } = held.address() as { port: number };
    const file = writeConfig(`server: { port: ${port} }\ndatabase: { dataDir: data }\n${base}`);
    const { code, stderr } = await start(file);
    assert.equal(code, 1, stderr);
    assert.equal(
      stderr.trim(),
      `deckhand: cannot start: port ${port} on 127.0.0.1 is already in use (another deckhand, or another server). Stop it, or pick another port: PORT=${port + 1} (where the config says port: \${PORT:-…}), server.port in the config, or --port ${port + 1}.`,
    );
    assertNoStack(stderr);
  });

  it('a data folder that cannot be created: which folder, and the key', async () => {
    const file = writeConfig(`database: { dataDir: in-the-way/data }\n${base}`);
    writeFileSync(path.join(path.dirname(file), 'in-the-way'), 'a file, not a folder');
    const { code, stderr } = await start(file);
    assert.equal(code, 1, stderr);
    const folder = path.join(path.dirname(file), 'in-the-way/data');
    assert.equal(
      stderr.trim(),
      `deckhand: cannot start: the data folder ${folder} cannot be created (a part of the path is a file, not a folder). Create it, or point database.dataDir at a folder deckhand may write to.`,
    );
    assertNoStack(stderr);
  });

  it('a read-only data folder: which folder, and the key', async () => {
    const file = writeConfig(`database: { dataDir: data }\n${base}`);
    const dir = path.dirname(file);
    const data = path.join(dir, 'data');
    mkdirSync(data);
    chmodSync(dir, 0o755);
    chmodSync(data, 0o555);
    // Permissions do not bind root: as root, deckhand runs as nobody.
    const uid = process.getuid?.() === 0 ? 65534 : undefined;
    const { code, stderr } = await start(file, { uid });
    assert.equal(code, 1, stderr);
    assert.equal(
      stderr.trim(),
      `deckhand: cannot start: the data folder ${data} is read-only (permission denied). deckhand keeps its database and run logs there: make it writable for this user, or point database.dataDir at another folder.`,
    );
    assertNoStack(stderr);
  });

  it('missing credentials: every one listed, no value, no stack', async () => {
    const file = writeConfig(`database: { dataDir: data }\n${base}slack: {}\nteams: {}\n`);
    const { code, stderr } = await start(file, {
      env: { TEAMS_APP_ID: 'not-a-guid', TEAMS_APP_PASSWORD: 'teams-secret-value' },
    });
    assert.equal(code, 1, stderr);
    assert.match(stderr, /^deckhand: cannot start: 3 credentials are missing or malformed\.$/m);
    assert.match(
      stderr,
      /^ {2}- SLACK_BOT_TOKEN is not set: a bot token starting xoxb- \(or slack\.botToken\)$/m,
    );
    assert.match(stderr, /^ {2}- TEAMS_APP_ID is not the bot's Microsoft App ID, a GUID like /m);
    assert.ok(!stderr.includes('not-a-guid') && !stderr.includes('teams-secret-value'), 'a value printed');
    assertNoStack(stderr);
  });
});
