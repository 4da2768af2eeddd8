import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { demoDir, startDemo } from '../helpers/demo-deckhand.ts';

describe('deckhand audit', () => {
  it('prints recent entries, newest first, with who, where, what and the decision', async () => {
    const dir = demoDir();
    const demo = await startDemo(dir);
    await demo.say('/ci status', 'alice');
    await demo.say('/ci status', 'mallory');
    await demo.waitFor('general', /don't know you yet/);
    await demo.deckhand.close();

    const bin = path.resolve('bin/deckhand.js');
    const out = execFileSync(
      process.execPath,
      [bin, 'audit', '--config', path.join(dir, 'deckhand.yaml'), '--limit', '2'],
      {
        encoding: 'utf8',
        env: { ...process.env, DECKHAND_CONFIG: '' },
      },
    );
    const lines = out.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0] ?? '', /\tcommand\twebchat:mallory #general "\/ci status"\tdenied:unknown-user\t/);
    assert.match(lines[1] ?? '', /\tcommand\talice #general "\/ci status"\tallowed\t/);

    const json = execFileSync(process.execPath, [bin, 'audit', '--json', '-n', '1'], {
      encoding: 'utf8',
      env: { ...process.env, DECKHAND_CONFIG: path.join(dir, 'deckhand.yaml') },
    });
    assert.equal(JSON.parse(json).decision, 'denied:unknown-user');
  });
});
