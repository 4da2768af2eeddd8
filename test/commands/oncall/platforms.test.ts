/**
 * `/oncall` on every chat platform, driven through the parity suite's platform fakes and config:
 * a person allowed to run it sees who is on call with their mention; one whose role does not grant
 * it is refused, told which roles may. (The rotation has one person, so the answer holds on any date.)
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../../helpers/recording-sender.ts';
import { startTestDeckhand } from '../../helpers/test-deckhand.ts';
import { scenarioYaml } from '../../scenarios/config.ts';
import type {
  PlatformSession,
  PlatformUnderTest,
  SeenMessage,
  StartPlatform,
} from '../../scenarios/platform.ts';

const folder = path.join(import.meta.dirname, '../../scenarios/platforms');
const starters: [string, StartPlatform][] = [];
for (const file of readdirSync(folder)
  .filter((f) => f.endsWith('.ts'))
  .sort()) {
  const exports = (await import(path.join(folder, file))) as Record<string, unknown>;
  const start = Object.entries(exports).find(([k, v]) => k.startsWith('start') && typeof v === 'function');
  assert.ok(start, `${file} exports a start… function`);
  starters.push([file.replace(/\.ts$/, ''), start[1] as StartPlatform]);
}

const oncall = `
oncall:
  schedules:
    primary:
      timeZone: Europe/Berlin
      rotation: { people: [bob], length: 1w, handoff: monday 09:00, start: 2020-01-06 }
`;

for (const [name, start] of starters) {
  describe(`/oncall on ${name}`, () => {
    let platform: PlatformUnderTest;
    let chat: PlatformSession;
    let close: () => Promise<void>;

    before(async () => {
      platform = await start();
      const t = await startTestDeckhand({ yaml: scenarioYaml(platform) + oncall, env: platform.env });
      chat = platform.connect({ app: t.app, deckhand: t.deckhand });
      close = async () => {
        await t.deckhand.close();
        await platform.stop();
      };
    });
    after(() => close?.());

    const see = async (pattern: RegExp): Promise<SeenMessage> => {
      let found: SeenMessage | undefined;
      let last: SeenMessage[] = [];
      try {
        await eventually(
          async () => {
            last = await chat.messages('general');
            found = last.find((m) => pattern.test(m.text));
            return found !== undefined;
          },
          `a message matching ${pattern} in #general on ${name}`,
          30_000,
        );
      } catch (error) {
        throw new Error(`${(error as Error).message}; it holds: ${last.map((m) => m.text).join(' | ')}`);
      }
      return found as SeenMessage;
    };

    it('shows who is on call, with their mention', async () => {
      // Discord asks for a subcommand, so `now` is written out.
      await chat.say('dave', 'general', '/oncall now primary');
      const bob = `(@Bob|${platform.userId('bob').replace(/[^\w]/g, '\\$&')})`;
      const shown = await see(/On call: primary/);
      assert.match(shown.text, new RegExp(`Now: ${bob} until \\w{3} \\d{1,2} \\w{3} 09:00 \\(`));
      assert.match(shown.text, new RegExp(`Next: ${bob} until`));
    });

    it('refuses someone whose role does not grant it, saying which roles may', async () => {
      await chat.say('alice', 'general', '/oncall now');
      const refused = await see(/You may not run .*\/oncall now/);
      assert.match(
        refused.text,
        /your roles \(developer\) do not allow it\. Roles that may: release-manager\./,
      );
    });
  });
}
