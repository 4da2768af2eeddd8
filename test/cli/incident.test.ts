/** `deckhand incident export <id>`: the Markdown summary of an incident a deckhand recorded. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { startTestDeckhand } from '../helpers/test-deckhand.ts';

const yaml = `
database: { dataDir: data }
people:
  - { id: alice, name: Alice, chat: { webchat: alice } }
channels:
  general: {}
  incidents: {}
environments:
  - { name: production }
policy: { allowEveryone: true }
incidents: { channel: incidents }
`;

const cli = (dir: string, ...args: string[]) =>
  spawnSync(
    process.execPath,
    ['bin/deckhand.js', 'incident', 'export', ...args, '--config', path.join(dir, 'deckhand.yaml')],
    {
      encoding: 'utf8',
      env: { ...process.env, DECKHAND_CONFIG: '' },
    },
  );

describe('deckhand incident export', () => {
  it('prints the timeline as Markdown, and exits 1 for an unknown incident', async () => {
    const { deckhand, dir, say, waitFor } = await startTestDeckhand({ yaml });
    try {
      await say('/incident declare api down --environment production');
      await waitFor('general', /Incident #1 \(SEV3\) declared/);
      await say('/incident note restarted the api pods');
      await waitFor('general', /Noted on incident #1/);
    } finally {
      await deckhand.close();
    }
    const out = cli(dir, '1');
    assert.equal(out.status, 0, out.stderr);
    assert.match(out.stdout, /^# Incident #1: api down/);
    assert.match(out.stdout, /- Environments: production/);
    assert.match(out.stdout, /@Alice · note: restarted the api pods/);
    const missing = cli(dir, '7');
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /There is no incident #7/);
  });
});
