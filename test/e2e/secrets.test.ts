import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createDeckhand } from '../../src/server/deckhand.ts';
import { loadConfig } from '../helpers/config.ts';
import { demoDir } from '../helpers/demo-deckhand.ts';
import { dumpTables } from '../helpers/sqlite-dump.ts';
import { webchatDriver } from '../helpers/webchat-driver.ts';

const dbPassword = 'db-pa55word-for-prod';
const apiToken = 'file-api-token-7f3a9c';
const githubToken = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';

describe('a whole scenario with secrets configured', () => {
  it('never shows a secret in chat, logs, the audit log, run logs or CLI output', async () => {
    const dir = demoDir();
    const file = path.join(dir, 'deckhand.yaml');
    writeFileSync(path.join(dir, 'api-token.txt'), `${apiToken}\n`);
    const yaml = readFileSync(file, 'utf8').replace(
      '      - { name: compile, run: ./scripts/build.sh }',
      [
        '      - { name: compile, run: ./scripts/build.sh }',
        '      - name: publish',
        '        run: echo "login with $DB_PASSWORD and $API_TOKEN as $GITHUB_TOKEN"; exit 3',
        '    env:',
        // deckhand.yaml's own interpolation syntax, written out as text.
        `      DB_PASSWORD: $\{DB_PASSWORD}`,
        `      API_TOKEN: $\{file:api-token.txt}`,
        `      GITHUB_TOKEN: $\{GITHUB_TOKEN}`,
      ].join('\n'),
    );
    writeFileSync(file, yaml);
    const env = { DB_PASSWORD: dbPassword, GITHUB_TOKEN: githubToken };
    const config = await loadConfig(file, env);
    const logs: string[] = [];
    const logStream = new Writable({
      write(chunk, _enc, done) {
        logs.push(String(chunk));
        done();
      },
    });
    const deckhand = await createDeckhand({ config, env, logStream });
    await deckhand.startWorkers();
    const chat = webchatDriver(deckhand.app, { timeoutMs: 30_000 });
    try {
      await chat.say('/ci build main');
      const card = await chat.waitFor('ci-builds', /Build #1 failed/);
      await chat.waitFor('general', /run #1 failed/);
      await chat.say(`/ci build ${dbPassword}`);
      // The command is kept redacted from the start: the branch it names is `[redacted]` already.
      await chat.waitFor('general', /`\[redacted\]` is not a valid branch name/);
      await chat.say(`/ci deploy staging ${githubToken}`);
      await chat.waitFor('general', /not found|not a valid version/);
      deckhand.logger.warn({ attempt: dbPassword }, `connecting with ${apiToken}`);

      const seen: string[] = [...logs];
      for (const channel of ['general', 'ci-builds', 'tests', 'deployments']) {
        for (const m of await chat.messages(channel)) {
          if (m.author.bot) seen.push(JSON.stringify(m));
          if (m.author.bot) for (const r of await chat.messages(channel, m.id)) seen.push(JSON.stringify(r));
        }
      }
      const thread = await chat.messages('ci-builds', card.id);
      assert.ok(
        thread.some((m) => /login with \[redacted\] and \[redacted\] as \[redacted\]/.test(m.text)),
        'the failed step log tail is in the thread, redacted',
      );
      seen.push((await deckhand.app.inject({ url: '/runs/1/log' })).body);
      const tables = dumpTables(config.paths.sqlite);
      seen.push(tables.audit ?? '', tables.outbox ?? '');
      await deckhand.close();
      const cli = (args: string[]) =>
        execFileSync(process.execPath, ['bin/deckhand.js', ...args, '--config', file], {
          encoding: 'utf8',
          env: { ...process.env, ...env },
        });
      seen.push(cli(['audit', '--limit', '50']), cli(['audit', 'export', '--format', 'csv']));
      assert.ok(logs.length > 0, 'logs were captured');
      const all = seen.join('\n');
      for (const secret of [dbPassword, apiToken, githubToken]) {
        assert.ok(
          !all.includes(secret),
          `a secret leaked: …${all.slice(Math.max(0, all.indexOf(secret) - 80), all.indexOf(secret) + 40)}…`,
        );
      }
      assert.match(all, /\[redacted\]/);
    } finally {
      await deckhand.close().catch(() => undefined);
    }
  });
});
