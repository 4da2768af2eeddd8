/**
 * No secret at rest: a scenario that puts secrets in step output (one split across two writes), a
 * commit message, a failing test's name, an approval's preview and a command typed after a config
 * reload brought a new secret; then every table and every file deckhand keeps is scanned.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import pino from 'pino';
import { createDeckhand } from '../../src/server/deckhand.ts';
import { loadConfig } from '../helpers/config.ts';
import { demoDir } from '../helpers/demo-deckhand.ts';
import { dumpTables } from '../helpers/sqlite-dump.ts';
import { webchatDriver } from '../helpers/webchat-driver.ts';

const dbPassword = 'db-pa55word-for-prod';
const reloaded = 'reloaded-token-41c9e2';

/** deckhand.yaml's own interpolation syntax, written out as text. */
const ref = (name: string) => ['$', `{${name}}`].join('');

/** Every file under `dir`, but the repository the demo seeds there (the team's code, not deckhand's). */
function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'demo-repo' ? [] : files(full);
    return e.isFile() ? [full] : [];
  });
}

const button = (m: { actions: { id: string; label: string }[] }, label: string) =>
  m.actions.find((a) => a.label === label)?.id ?? assert.fail(`no ${label} button`);

describe('no secret at rest', () => {
  it('keeps no secret in any table or any file under the data folder', async () => {
    const dir = demoDir();
    const file = path.join(dir, 'deckhand.yaml');
    const original = readFileSync(file, 'utf8');
    const secretEnv = ['    env:', `      DB_PASSWORD: ${ref('DB_PASSWORD')}`];
    const yaml = original
      .replace(
        '      - { name: compile, run: ./scripts/build.sh }',
        [
          '      - { name: compile, run: ./scripts/build.sh }',
          '      - name: publish',
          // Split across two writes, a moment apart: two chunks of output.
          `        run: printf 'login %s' "$(printf %s "$DB_PASSWORD" | cut -c1-7)"; sleep 0.3; printf '%s\\n' "$(printf %s "$DB_PASSWORD" | cut -c8-)"; exit 3`,
          ...secretEnv,
        ].join('\n'),
      )
      .replace(
        '      - { name: prepare, run: ./scripts/install.sh }',
        [
          '      - { name: prepare, run: ./scripts/install.sh }',
          '      - name: secret-report',
          `        run: mkdir -p reports && printf '<testsuite name="s" tests="1" failures="1"><testcase classname="auth" name="login as %s"><failure message="no"/></testcase></testsuite>' "$DB_PASSWORD" > reports/secret.xml`,
        ].join('\n'),
      )
      .replace('    junit: [reports/*.xml]', ['    junit: [reports/*.xml]', ...secretEnv].join('\n'));
    writeFileSync(file, yaml);
    writeFileSync(path.join(dir, 'reload-token.txt'), reloaded);
    const env = { DB_PASSWORD: dbPassword };
    const config = await loadConfig(file, env);
    const deckhand = await createDeckhand({ config, env, logger: pino({ level: 'silent' }) });
    await deckhand.startWorkers();
    const chat = webchatDriver(deckhand.app, { timeoutMs: 30_000 });
    try {
      // Step output: the failed step's log tail, and its log file.
      await chat.say('/ci build main');
      await chat.waitFor('ci-builds', /Build #1 failed/);
      // Production gets a live version, approved, so a later deploy's request previews its commits.
      await chat.say('/ci deploy production v1.1.0', 'bob');
      const first = await chat.waitFor('general', /Confirm: deploy v1\.1\.0 to production/);
      await chat.click(first.id, button(first, 'Confirm'), 'bob');
      const card = await chat.waitFor('approvals', /Approval needed: deploy v1\.1\.0 to production/);
      await chat.click(card.id, button(card, 'Approve'), 'dave');
      await chat.waitFor('deployments', /Deploy #2 to production succeeded/);
      // A commit message, and a tag whose deploy brings it (the approval's preview lists it).
      const repo = path.join(config.paths.dataDir, 'demo-repo');
      const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
      git(
        '-c',
        'user.name=Eve',
        '-c',
        'user.email=eve@example.com',
        'commit',
        '--allow-empty',
        '-m',
        `use ${dbPassword}`,
      );
      git('tag', 'v9.9.9');
      await chat.say('/ci build main');
      await chat.waitFor('ci-builds', /Build #3 failed/);
      // A failing test named with the secret.
      await chat.say('/ci test unit');
      await chat.waitFor('tests', /Test #4 \(unit\) (failed|succeeded)/);
      // An approval's preview.
      await chat.say('/ci deploy production v9.9.9', 'bob');
      const prompt = await chat.waitFor('general', /Confirm: deploy v9\.9\.9 to production/);
      await chat.click(prompt.id, button(prompt, 'Confirm'), 'bob');
      await chat.waitFor('approvals', /Approval needed: deploy v9\.9\.9 to production/);
      // A reload brings a new secret; a command typing it is kept masked from then on.
      writeFileSync(
        file,
        yaml.replace('    env:\n', `    env:\n      API_TOKEN: ${ref('file:reload-token.txt')}\n`),
      );
      await deckhand.reload();
      await chat.say(`/ci build ${reloaded}`);
      await chat.waitFor('general', /not a valid branch name|not found/);
      await chat.say(`/ci lock staging --for 1h ${dbPassword}`, 'alice');
      await chat.waitFor('general', /locked/i);

      const tables = dumpTables(config.paths.sqlite);
      const runs = tables.runs ?? '';
      assert.match(runs, /login \[redacted\]/, 'the log tail is kept, masked');
      assert.match(runs, /use \[redacted\]/, 'the commit message is kept, masked');
      assert.match(runs, /login as \[redacted\]/, "the failing test's name is kept, masked");
      assert.match(tables.gate_requests ?? '', /use \[redacted\]/, 'the preview is kept, masked');
      await deckhand.close();
      const kept = files(config.paths.dataDir);
      assert.ok(
        kept.some((f) => f.endsWith('.log')),
        'step logs were written',
      );
      const leaks: string[] = [];
      for (const [name, rows] of Object.entries(dumpTables(config.paths.sqlite)))
        for (const secret of [dbPassword, reloaded]) if (rows.includes(secret)) leaks.push(`table ${name}`);
      for (const f of kept) {
        const bytes = readFileSync(f);
        for (const secret of [dbPassword, reloaded])
          if (bytes.includes(secret)) leaks.push(path.relative(config.paths.dataDir, f));
      }
      assert.deepEqual(leaks, [], 'no secret anywhere deckhand keeps');
    } finally {
      await deckhand.close().catch(() => undefined);
    }
  });
});
