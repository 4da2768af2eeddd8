/** `deckhand teams package`: manifest.json and two icons of the right sizes, zipped. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { unzipSync } from 'fflate';
import { teamsManifest, writePackage } from '../../../src/chat/teams/package.ts';
import { ciFamily } from '../../../src/commands/ci/index.ts';
import { familyShapes } from '../../../src/modules/index.ts';
import { loadConfig } from '../../helpers/config.ts';

const APP = '00000000-0000-4000-8000-00000000d0c4';

/** Width and height from a PNG's IHDR chunk. */
const size = (png: Uint8Array) => {
  const b = Buffer.from(png);
  assert.equal(b.subarray(1, 4).toString('ascii'), 'PNG');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
};

describe('Teams app package', () => {
  const cli = { loadConfig, families: familyShapes([ciFamily]) };
  const io = (env: Record<string, string>) => ({ out: () => {}, err: (t: string) => errors.push(t), env });
  const errors: string[] = [];

  it('zips a manifest for the bot with its commands, and 192×192 and 32×32 icons', async () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'teams-package-')), 'app.zip');
    const env = { TEAMS_APP_ID: APP, DECKHAND_CONFIG: '/nonexistent/deckhand.yaml' };
    assert.equal(await writePackage(cli, { out, name: 'deckhand' }, io(env)), 0);
    const files = unzipSync(readFileSync(out));
    assert.deepEqual(Object.keys(files).sort(), ['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(Buffer.from(files['manifest.json'] as Uint8Array).toString());
    assert.equal(manifest.manifestVersion, '1.17');
    assert.equal(manifest.id, APP);
    assert.equal(manifest.bots[0].botId, APP);
    assert.deepEqual(manifest.bots[0].scopes, ['personal', 'team', 'groupChat']);
    const commands = manifest.bots[0].commandLists[0].commands as { title: string }[];
    assert.ok(commands.length > 0 && commands.length <= 10);
    assert.ok(commands.some((c) => c.title === 'ci build'));
    assert.deepEqual(size(files['color.png'] as Uint8Array), [192, 192]);
    assert.deepEqual(size(files['outline.png'] as Uint8Array), [32, 32]);
  });

  it("keeps titles and descriptions within the manifest's limits, cut between words", () => {
    const summary = `${'Deploys a version to an environment after its approvals, '.repeat(3)}then says so.`;
    const manifest = teamsManifest({
      appId: APP,
      name: 'a deckhand with a long name for its team',
      families: [
        {
          root: 'ci',
          summary: 'CI',
          commands: ['deploy-to-somewhere-far-away'],
          specs: [{ name: 'deploy-to-somewhere-far-away', summary, args: [] }],
        },
      ],
    });
    const [command] = manifest.bots[0]?.commandLists[0]?.commands ?? [];
    assert.ok(command && command.title.length <= 32 && command.description.length <= 128);
    assert.match(
      command.description,
      /^Deploys a version .* environment after its approvals, Deploys.*[a-z,]…$/,
    );
    assert.ok(summary.startsWith(command.description.slice(0, -1)), 'a prefix, cut where a word ends');
    assert.equal(summary[command.description.length - 1], ' ', 'the cut falls on a space');
    assert.ok(manifest.name.short.length <= 30 && manifest.name.short.endsWith('…'));
  });

  it('says what is missing: an app id that is a GUID', async () => {
    const out = path.join(os.tmpdir(), 'never.zip');
    assert.equal(
      await writePackage(cli, { out, name: 'x' }, io({ DECKHAND_CONFIG: '/nonexistent/d.yaml' })),
      2,
    );
    assert.equal(
      await writePackage(
        cli,
        { out, name: 'x' },
        io({ TEAMS_APP_ID: 'nope', DECKHAND_CONFIG: '/nonexistent/d.yaml' }),
      ),
      2,
    );
    assert.match(errors.join('\n'), /TEAMS_APP_ID/);
  });
});
