/**
 * The documented activities (fixtures.ts), each answered where it was typed — its thread, its
 * chat — through the service URL it came from (its region's), which deckhand keeps on disk so a
 * restart still sends there; a token signed by a key not endorsed for Teams refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../../helpers/recording-sender.ts';
import { BUILDS, GENERAL, startTeamsDeckhand } from '../../helpers/teams-deckhand.ts';
import {
  cardAction,
  channelThreadMention,
  DOCS_CHANNEL,
  DOCS_THREAD_ROOT,
  personalMessage,
} from './fixtures.ts';

type Running = Awaited<ReturnType<typeof startTeamsDeckhand>>;

/** The first value `find` gives, waited for (bounded). */
async function found<T>(find: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  let value: T | undefined;
  await eventually(
    () => {
      value = find();
      return value !== undefined;
    },
    what,
    timeoutMs,
  );
  return value as T;
}

describe('Teams: the documented activities', () => {
  let t: Running;
  before(async () => {
    t = await startTeamsDeckhand();
  });
  after(() => t.close());

  /** Signs the activity for its own service URL, as Bot Framework does. */
  const deliver = async (activity: { serviceUrl: string } & Record<string, unknown>) =>
    t.send(activity, `Bearer ${await t.fake.mint({ serviceUrl: activity.serviceUrl })}`);
  const answered = (conversation: string, pattern: RegExp) =>
    found(
      () => t.fake.activitiesIn(conversation).find((a) => pattern.test(JSON.stringify(a))),
      `${pattern} in ${conversation}`,
    );

  it('a channel message with an <at> mention, in a thread, is answered in that thread through its region', async () => {
    const emea = t.fake.serviceUrlOf('emea');
    const res = await deliver({
      ...channelThreadMention,
      id: '1481567603999',
      serviceUrl: emea,
      text: '<at>deckhand</at> ci help',
    });
    assert.equal(res.statusCode, 200);
    const answer = await answered(DOCS_CHANNEL, /build/);
    assert.equal(answer.replyToId, DOCS_THREAD_ROOT, 'posted to <channel>;messageid=<root>');
    assert.equal(answer.serviceUrl, emea);
  });

  it('the same message at the channel’s top level is answered at the top level', async () => {
    const before = t.fake.activitiesIn(DOCS_CHANNEL).length;
    const res = await deliver({
      ...channelThreadMention,
      id: '1481567604000',
      serviceUrl: t.fake.serviceUrlOf('emea'),
      conversation: { id: DOCS_CHANNEL },
      text: '<at>deckhand</at> ci whoami',
    });
    assert.equal(res.statusCode, 200);
    await eventually(() => t.fake.activitiesIn(DOCS_CHANNEL).length > before, 'an answer', 20_000);
    const answer = t.fake.activitiesIn(DOCS_CHANNEL)[before];
    assert.equal(answer?.replyToId, undefined);
    assert.match(JSON.stringify(answer), /jane/i, 'Jane is known by her Teams id');
  });

  it('a personal chat message is answered in the chat through its region', async () => {
    const amer = t.fake.serviceUrlOf('amer');
    const res = await deliver({ ...personalMessage, serviceUrl: amer, text: 'whoami' });
    assert.equal(res.statusCode, 200);
    const answer = await answered(personalMessage.conversation.id, /megan/i);
    assert.equal(answer.serviceUrl, amer);
    assert.equal(answer.replyToId, undefined);
  });

  it('an adaptiveCard/action invoke is taken and answered with the invoke response', async () => {
    const click = { ...cardAction('rerun:1', '1481567605000'), serviceUrl: t.fake.serviceUrlOf('emea') };
    const res = await deliver(click);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: 'Received.',
    });
    await t.deckhand.handled();
  });

  it('refuses a token signed by a published key that is not endorsed for msteams, recording nothing', async () => {
    const runs = async () => (await t.deckhand.stores.runs.recent(50)).length;
    const before = await runs();
    const key = await t.fake.publishKey(['webchat', 'directline']);
    const token = await t.fake.mint({ key: key.key, kid: key.kid });
    const res = await t.send(t.message('<at>deckhand</at> ci build main'), `Bearer ${token}`);
    assert.equal(res.statusCode, 401);
    await t.deckhand.handled();
    assert.equal(await runs(), before);
  });
});

describe('Teams: a conversation’s service URL survives a restart', () => {
  it('a notification to a conversation heard from through apac goes through apac after a restart', async () => {
    const first = await startTeamsDeckhand();
    const { fake, dir } = first;
    const apac = fake.serviceUrlOf('apac');
    try {
      const status = first.message('<at>deckhand</at> ci status', {
        serviceUrl: apac,
        conversation: { id: BUILDS, conversationType: 'channel' },
      });
      assert.equal(
        (await first.send(status, `Bearer ${await fake.mint({ serviceUrl: apac })}`)).statusCode,
        200,
      );
      await first.deckhand.handled();
      await first.stop();
      const second = await startTeamsDeckhand({ fake, dir });
      try {
        const seen = fake.activitiesIn(BUILDS).length;
        assert.equal((await second.send(second.message('<at>deckhand</at> ci build main'))).statusCode, 200);
        const card = await found(
          () =>
            fake
              .activitiesIn(BUILDS)
              .slice(seen)
              .find((a) => /build/i.test(JSON.stringify(a.attachments))),
          'the build card in #ci-builds',
          30_000,
        );
        assert.equal(card.serviceUrl, apac, 'the card went through the conversation’s own region');
        const reply = await found(() => fake.activitiesIn(GENERAL)[0], 'the reply in #general');
        assert.equal(reply.serviceUrl, fake.serviceUrl, 'a conversation heard from through the global URL');
      } finally {
        await second.stop();
      }
    } finally {
      await fake.close();
    }
  });
});
