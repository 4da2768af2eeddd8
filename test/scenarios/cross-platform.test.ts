/**
 * One channel on several platforms at once: the approval card goes to each, and a click on one
 * updates the card on all of them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../helpers/recording-sender.ts';
import { startTestDeckhand } from '../helpers/test-deckhand.ts';
import { scenarioYaml } from './config.ts';
import type { Channel, PlatformSession, PlatformUnderTest, SeenMessage } from './platform.ts';
import { startDiscord } from './platforms/discord.ts';
import { startMattermost } from './platforms/mattermost.ts';
import { startSlack } from './platforms/slack.ts';
import { startTeams } from './platforms/teams.ts';
import { startWebchat } from './platforms/webchat.ts';

describe('a channel on Slack, Teams, Mattermost, Discord and the web chat', () => {
  let teams: PlatformUnderTest;
  let onTeams: PlatformSession;
  let slack: PlatformUnderTest;
  let mattermost: PlatformUnderTest;
  let discord: PlatformUnderTest;
  let onDiscord: PlatformSession;
  let onSlack: PlatformSession;
  let onMattermost: PlatformSession;
  let onWeb: PlatformSession;
  let close: () => Promise<void>;

  before(async () => {
    slack = await startSlack();
    mattermost = await startMattermost();
    discord = await startDiscord();
    teams = await startTeams();
    // The web chat addresses every channel by its id, so each channel is on all five.
    const yaml = scenarioYaml([slack, teams, mattermost, discord]).replace('webchat: { enabled: false }', '');
    const env = { ...slack.env, ...teams.env, ...mattermost.env, ...discord.env };
    const t = await startTestDeckhand({ yaml, env });
    await t.deckhand.providers.get('local')?.listBranches('deploy');
    onSlack = slack.connect(t);
    onMattermost = mattermost.connect(t);
    onDiscord = discord.connect(t);
    onTeams = teams.connect(t);
    onWeb = (await startWebchat()).connect(t);
    close = async () => {
      await t.deckhand.close();
      await slack.stop();
      await mattermost.stop();
      await discord.stop();
      await teams.stop();
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

  it('an approval clicked on Mattermost shows as approved on Slack, Teams, Discord and the web chat too', async () => {
    await onWeb.say('bob', 'general', '/ci deploy production v1.1.0');
    const prompt = await find(onWeb, 'general', /Confirm: deploy v1\.1\.0 to production/);
    await onWeb.click('bob', 'general', prompt, 'Confirm');
    const webCard = await find(onWeb, 'approvals', /Approval needed: deploy v1\.1\.0/);
    const slackCard = await find(onSlack, 'approvals', /Approval needed: deploy v1\.1\.0/);
    const mattermostCard = await find(onMattermost, 'approvals', /Approval needed: deploy v1\.1\.0/);
    assert.deepEqual(slackCard.buttons, ['Approve', 'Reject']);
    const discordCard = await find(onDiscord, 'approvals', /Approval needed: deploy v1\.1\.0/);
    assert.deepEqual(mattermostCard.buttons, ['Approve', 'Reject']);
    const teamsCard = await find(onTeams, 'approvals', /Approval needed: deploy v1\.1\.0/);
    assert.deepEqual(discordCard.buttons, ['Approve', 'Reject']);
    assert.deepEqual(teamsCard.buttons, ['Approve', 'Reject']);

    await onMattermost.click('dave', 'approvals', mattermostCard, 'Approve');
    for (const [chat, card] of [
      [onSlack, slackCard],
      [onMattermost, mattermostCard],
      [onDiscord, discordCard],
      [onTeams, teamsCard],
      [onWeb, webCard],
    ] as const) {
      const approved = await find(chat, 'approvals', /Approved by/);
      assert.equal(approved.id, card.id, 'the same card, updated in place');
      assert.deepEqual(approved.buttons, []);
    }
  });
});
