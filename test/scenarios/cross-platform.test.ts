/**
 * One channel on two platforms at once: the approval card goes to both, and a click on one
 * updates the card on both.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../helpers/recording-sender.ts';
import { startTestDeckhand } from '../helpers/test-deckhand.ts';
import { scenarioYaml } from './config.ts';
import type { Channel, PlatformSession, PlatformUnderTest, SeenMessage } from './platform.ts';
import { startSlack } from './platforms/slack.ts';
import { startWebchat } from './platforms/webchat.ts';

describe('a channel on Slack and the web chat', () => {
  let slack: PlatformUnderTest;
  let onSlack: PlatformSession;
  let onWeb: PlatformSession;
  let close: () => Promise<void>;

  before(async () => {
    slack = await startSlack();
    // The web chat addresses every channel by its id, so each channel is on both.
    const yaml = scenarioYaml(slack).replace('webchat: { enabled: false }', '');
    const t = await startTestDeckhand({ yaml, env: slack.env });
    await t.deckhand.providers.get('local')?.listBranches('deploy');
    onSlack = slack.connect(t);
    onWeb = (await startWebchat()).connect(t);
    close = async () => {
      await t.deckhand.close();
      await slack.stop();
    };
  });
  after(() => close?.());

  const find = async (chat: PlatformSession, channel: Channel, pattern: RegExp) => {
    let found: SeenMessage | undefined;
    await eventually(
      async () => {
        found = (await chat.messages(channel)).find((m) => pattern.test(m.text));
        return found !== undefined;
      },
      `${pattern} in #${channel}`,
      60_000,
    );
    return found as SeenMessage;
  };

  it('an approval clicked on Slack shows as approved on both', async () => {
    await onWeb.say('bob', 'general', '/ci deploy production v1.1.0');
    const prompt = await find(onWeb, 'general', /Confirm: deploy v1\.1\.0 to production/);
    await onWeb.click('bob', 'general', prompt, 'Confirm');
    const webCard = await find(onWeb, 'approvals', /Approval needed: deploy v1\.1\.0/);
    const slackCard = await find(onSlack, 'approvals', /Approval needed: deploy v1\.1\.0/);
    assert.deepEqual(slackCard.buttons, ['Approve', 'Reject']);

    await onSlack.click('dave', 'approvals', slackCard, 'Approve');
    for (const [chat, card] of [
      [onSlack, slackCard],
      [onWeb, webCard],
    ] as const) {
      const approved = await find(chat, 'approvals', /Approved by/);
      assert.equal(approved.id, card.id, 'the same card, updated in place');
      assert.deepEqual(approved.buttons, []);
    }
  });
});
