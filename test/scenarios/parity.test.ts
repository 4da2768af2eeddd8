/**
 * One scenario, every chat platform: help, a build, a failing test with its names, a deploy with
 * its confirmation, a self-approval refused and a second person's approval, a rollback, a lock, a
 * denied user and a mistyped command, a runbook, who is on call, an incident acknowledged and
 * resolved — the same outcomes asserted on each platform, driven through
 * its endpoints (signed as the platform signs) and read back from its local fake.
 *
 * Every file in `platforms/` is a platform under test. `PARITY=slack,teams` runs only those.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../helpers/recording-sender.ts';
import { startTestDeckhand } from '../helpers/test-deckhand.ts';
import { scenarioYaml } from './config.ts';
import type {
  Channel,
  Person,
  PlatformSession,
  PlatformUnderTest,
  SeenMessage,
  StartPlatform,
} from './platform.ts';

const folder = path.join(import.meta.dirname, 'platforms');
const only = process.env.PARITY?.split(',').map((s) => s.trim());
const starters: [string, StartPlatform][] = [];
for (const file of readdirSync(folder)
  .filter((f) => f.endsWith('.ts'))
  .sort()) {
  const name = file.replace(/\.ts$/, '');
  if (only && !only.includes(name)) continue;
  const exports = (await import(path.join(folder, file))) as Record<string, unknown>;
  const start = Object.entries(exports).find(([k, v]) => k.startsWith('start') && typeof v === 'function');
  assert.ok(start, `${file} exports a start… function`);
  starters.push([name, start[1] as StartPlatform]);
}
assert.ok(starters.length > 0, `no platform matches PARITY=${process.env.PARITY}`);

/** How long a step may take: runs on the local runner take a few seconds on a busy machine. */
const WAIT = 60_000;

for (const [name, start] of starters) {
  describe(`parity on ${name}`, () => {
    let platform: PlatformUnderTest;
    let chat: PlatformSession;
    let close: () => Promise<void>;

    before(async () => {
      platform = await start();
      // Stopped even when deckhand fails to start, so a failed start cannot keep the runner alive.
      close = () => platform.stop();
      const t = await startTestDeckhand({ yaml: scenarioYaml(platform), env: platform.env });
      // The demo repository and its mirror are made now, so the first command is not the slow one.
      await t.deckhand.providers.get('local')?.listBranches('build');
      chat = platform.connect({ app: t.app, deckhand: t.deckhand });
      close = async () => {
        await t.deckhand.close();
        await platform.stop();
      };
    });
    after(() => close?.());

    /** The first message in `channel` that matches (and passes `also`), waiting for it. */
    const see = async (
      channel: Channel,
      pattern: RegExp,
      also: (m: SeenMessage) => boolean = () => true,
    ): Promise<SeenMessage> => {
      let found: SeenMessage | undefined;
      let last: SeenMessage[] = [];
      try {
        await eventually(
          async () => {
            last = await chat.messages(channel);
            found = last.find((m) => pattern.test(m.text) && also(m));
            return found !== undefined;
          },
          `a message matching ${pattern} in #${channel} on ${name}`,
          WAIT,
        );
      } catch (error) {
        const shown = last.map(
          (m) => `  [${m.id}${m.threadId ? ` in ${m.threadId}` : ''}] ${m.text.slice(0, 300)}`,
        );
        throw new Error(`${(error as Error).message}; #${channel} holds:\n${shown.join('\n')}`);
      }
      return found as SeenMessage;
    };
    const say = (person: Person, channel: Channel, text: string) => chat.say(person, channel, text);

    it('help lists the commands', async () => {
      await say('alice', 'general', '/ci help');
      const help = await see('general', /build/, (m) => /deploy/.test(m.text) && /rollback/.test(m.text));
      assert.match(help.text, /status/);
    });

    it('a mistyped command is answered with a suggestion', async () => {
      await say('alice', 'general', '/ci biuld main');
      await see('general', /Unknown command biuld\. Did you mean \/ci build\?/);
    });

    it('a viewer is refused a build, told which roles may', async () => {
      await say('carol', 'general', '/ci build main');
      await see('general', /You may not run \/ci build[\s\S]*viewer/);
    });

    it('a build runs, its card updated in place to its end', async () => {
      await say('alice', 'general', '/ci build main');
      const card = await see('ci-builds', /Build #\d+ .*succeeded/);
      const number = card.text.match(/Build #(\d+)/)?.[1];
      const cards = (await chat.messages('ci-builds')).filter(
        (m) => !m.threadId && new RegExp(`Build #${number}\\b`).test(m.text),
      );
      assert.equal(cards.length, 1, 'one card for the run, updated in place');
    });

    it('a failing test run names its failed tests', async () => {
      await say('alice', 'general', '/ci test integration --branch develop');
      const card = await see('tests', /Tests? #\d+ .*failed/);
      await eventually(
        async () => (await chat.messages('tests')).some((m) => /checkout flow/.test(m.text)),
        `the failed test's name in #tests on ${name}`,
        WAIT,
      ).catch(() => assert.fail(`no message names the failed test; the card says: ${card.text}`));
    });

    let approvalCard: SeenMessage;
    it('a production deploy asks its requester to confirm, then for an approval', async () => {
      await say('bob', 'general', '/ci deploy production v1.1.0');
      const prompt = await see('general', /Confirm: deploy v1\.1\.0 to production/);
      assert.deepEqual(prompt.buttons, ['Confirm', 'Cancel']);
      await chat.click('bob', 'general', prompt, 'Confirm');
      approvalCard = await see('approvals', /Approval needed: deploy v1\.1\.0 to production/);
      assert.deepEqual(approvalCard.buttons, ['Approve', 'Reject']);
    });

    it('the requester cannot approve their own request', async () => {
      await chat.click('bob', 'approvals', approvalCard, 'Approve');
      await see('approvals', /You cannot approve your own request/);
      const card = (await chat.messages('approvals')).find((m) => m.id === approvalCard.id);
      assert.deepEqual(card?.buttons, ['Approve', 'Reject'], 'the request is still open');
    });

    it('a second release manager approves: the card says so in place, and production is deployed', async () => {
      await chat.click('dave', 'approvals', approvalCard, 'Approve');
      const approved = await see('approvals', /Approved by/, (m) => m.id === approvalCard.id);
      assert.deepEqual(approved.buttons, [], 'Approve and Reject are gone');
      await see('deployments', /Deploy #\d+ to production succeeded/);
    });

    it('a rollback, once confirmed, returns staging to the version before', async () => {
      for (const version of ['v1.0.0', 'v1.2.0']) {
        await say('alice', 'general', `/ci deploy staging ${version}`);
        await see(
          'deployments',
          new RegExp(`Deploy #\\d+ to staging succeeded[\\s\\S]*${version.replace(/\./g, '\\.')}`),
        );
      }
      await say('alice', 'general', '/ci rollback staging');
      const prompt = await see('general', /Confirm: roll back staging/);
      await chat.click('alice', 'general', prompt, 'Confirm');
      await see('deployments', /Rollback #\d+ .*staging succeeded[\s\S]*v1\.0\.0/);
    });

    it('a lock holds off everyone else until it is released', async () => {
      await say('alice', 'general', '/ci lock staging smoke tests');
      await see('general', /staging is locked by .*smoke tests/);
      const locked = async () =>
        (await chat.messages('general')).filter((m) => /staging is locked by .*smoke tests/.test(m.text))
          .length;
      await say('bob', 'general', '/ci deploy staging v1.2.0');
      await eventually(async () => (await locked()) === 2, `Bob told staging is locked, on ${name}`, WAIT);
      await say('alice', 'general', '/ci unlock staging');
      await see('general', /staging unlocked by/);
    });

    it('/ops help lists the runbooks a person may run, and a runbook runs to its end', async () => {
      await say('alice', 'general', '/ops help');
      await see('general', /restart/);
      await say('carol', 'general', '/ops restart web-service');
      await see('general', /may not run[\s\S]*developer/);
      await say('alice', 'general', '/ops restart web-service staging');
      await see('general', /Runbook restart #\d+: succeeded/);
    });

    it('/oncall says who is on call, with their mention; a viewer is told which roles may ask', async () => {
      // Discord asks for a subcommand, so `now` is written out.
      await say('dave', 'general', '/oncall now primary');
      const bob = `(@Bob|${platform.userId('bob').replace(/[^\w]/g, '\\$&')})`;
      const shown = await see('general', /On call: primary/);
      assert.match(shown.text, new RegExp(`Now: ${bob} until`));
      await say('carol', 'general', '/oncall now');
      await see('general', /You may not run .*\/oncall now[\s\S]*Roles that may: developer, release-manager/);
    });

    it('an incident declared gets a card with buttons, acknowledged and resolved in place', async () => {
      await say('alice', 'general', '/incident declare Checkout is down --severity 2');
      const card = await see('incidents', /Incident #\d+ · .*Checkout is down/);
      assert.deepEqual(card.buttons.slice(0, 3), ['Acknowledge', 'Escalate', 'Resolve']);
      await chat.click('bob', 'incidents', card, 'Acknowledge');
      await see('incidents', /Acknowledged by/, (m) => m.id === card.id);
      const id = card.text.match(/Incident #(\d+)/)?.[1];
      await say('bob', 'general', `/incident resolve --id ${id} fixed by a restart`);
      const resolved = await see('incidents', /Resolved by/, (m) => m.id === card.id);
      assert.deepEqual(resolved.buttons, [], 'a resolved incident has no buttons');
    });
  });
}
