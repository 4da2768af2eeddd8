/** A runbook interrupted by a stop is marked interrupted when deckhand starts again, and never rerun. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { eventually } from '../../helpers/recording-sender.ts';
import { startTestDeckhand } from '../../helpers/test-deckhand.ts';

describe('/ops across a restart', () => {
  it('marks the execution interrupted, says what ran, and runs nothing again', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'deckhand-ops-restart-'));
    const marks = path.join(dir, 'marks.txt');
    // Appends its second argument to the file named first; with a third, then waits that many ms.
    const mark = path.join(dir, 'mark.cjs');
    writeFileSync(
      mark,
      "require('node:fs').appendFileSync(process.argv[2], process.argv[3] + '\\n'); setTimeout(() => {}, Number(process.argv[4] ?? 0));\n",
    );
    const yaml = `
database: { dataDir: ./data }
people:
  - { id: alice, name: Alice, roles: [sre] }
roles:
  sre: {}
channels:
  general: {}
runbooks:
  rotate:
    summary: Rotate something
    roles: [sre]
    steps:
      - name: first
        command: { argv: ["${process.execPath}", "${mark}", "${marks}", first] }
        undo: { command: { argv: ["${process.execPath}", "${mark}", "${marks}", undo] } }
      - name: second
        # Waits long enough for deckhand to be stopped under it.
        command: { argv: ["${process.execPath}", "${mark}", "${marks}", second, "1500"] }
`;
    const first = await startTestDeckhand({ yaml, dir });
    await first.say('/ops rotate', 'alice', 'general');
    await eventually(
      async () => existsSync(marks) && readFileSync(marks, 'utf8').includes('second'),
      'the second step running',
    );
    await first.deckhand.close();

    const second = await startTestDeckhand({ yaml, dir });
    try {
      const card = await second.waitFor('general', /Runbook rotate .*interrupted/);
      assert.match(card.text, /Interrupted by a restart: nothing was run again and nothing was undone/);
      assert.match(card.text, /Completed: 1\. first\. In progress \(check by hand\): 2\. second\./);
      const cards = (await second.messages('general')).filter((m) => /Runbook rotate/.test(m.text));
      assert.equal(cards.length, 1, 'the same message, edited');
      const stored = await second.deckhand.stores.runbookRuns.get(1);
      assert.equal(stored?.status, 'interrupted');
      await second.deckhand.handled();
      assert.deepEqual(readFileSync(marks, 'utf8').trim().split('\n'), ['first', 'second']);
    } finally {
      await second.deckhand.close();
    }
  });
});
