import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { eventually } from '../helpers/recording-sender.ts';

describe('the bundle npm run build writes', () => {
  it('runs from dist/, finds the web chat page, and becomes ready', async () => {
    // Built beside dist/, not into it: other tests may be starting bin/deckhand.js meanwhile.
    const out = path.join('.tmp', `bundle-${process.pid}`);
    const built = spawnSync('npm', ['run', 'build', '--silent', '--', `--outdir=${out}`], {
      encoding: 'utf8',
    });
    assert.equal(built.status, 0, built.stderr);
    assert.ok(existsSync(path.join(out, 'main.js')));
    const dir = mkdtempSync(path.join(tmpdir(), 'deckhand-bundle-'));
    const file = path.join(dir, 'deckhand.yaml');
    writeFileSync(file, 'database: { dataDir: ./data }\npeople:\n  - { id: alice, name: Alice }\n');
    const child = spawn(process.execPath, [
      path.join(out, 'main.js'),
      'start',
      '--config',
      file,
      '--port',
      '0',
    ]);
    let said = '';
    child.stdout.on('data', (chunk) => {
      said += String(chunk);
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await eventually(() => /"address":"http:/.test(said), 'the bundle to listen', 30_000);
      const url = /"address":"(http:[^"]+)"/.exec(said)?.[1] as string;
      assert.equal((await fetch(`${url}/readyz`)).status, 200);
      const page = await fetch(`${url}/`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<title>/);
    } finally {
      child.kill('SIGTERM');
      await exited;
      rmSync(out, { recursive: true, force: true });
    }
  });
});
