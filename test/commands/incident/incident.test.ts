/** `/incident`: declare, ack, assign, note, escalate, resolve, status, timeline; which incident a command is about. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { incidentHarness } from '../../core/incidents/harness.ts';
import { RecordingSender } from '../../helpers/recording-sender.ts';

describe('/incident', () => {
  let h: Awaited<ReturnType<typeof incidentHarness>>;
  before(async () => {
    h = await incidentHarness();
  });
  after(() => h.close());

  it('says there is nothing to act on before any incident', async () => {
    const reply = await h.say('/incident ack');
    assert.equal(reply.status, 'error');
    assert.match(reply.text ?? '', /No incident is open. `\/incident declare <title>`/);
  });

  it('declare opens an incident with a channel, the declarer and on-call person invited', async () => {
    const reply = await h.say('/incident declare checkout is down --severity P2 --environment production');
    assert.match(reply.text ?? '', /Incident #1 \(SEV2\) declared: checkout is down/);
    const room = h.sender.channels.get('inc-1-checkout-is-down');
    assert.ok(room);
    assert.deepEqual(room.members.sort(), ['U1', 'U2']);
    const card = h.sender.sent.find((s) => s.channel === 'C-incidents' && s.op === 'post');
    assert.equal(card?.message.header, 'Incident #1 · SEV2 · checkout is down');
  });

  it('refuses an unknown severity, saying what it reads', async () => {
    const reply = await h.say('/incident declare other --severity huge');
    assert.match(reply.text ?? '', /Severity `huge` is not one deckhand reads/);
  });

  it('ack in the incident channel acknowledges it and edits the card', async () => {
    const reply = await h.say('/incident ack', 'U2', 'C-inc-1-checkout-is-down');
    assert.match(reply.text ?? '', /Incident #1 acknowledged by @Bob/);
    const last = h.sender.sent.filter((s) => s.op === 'update' && s.channel === 'C-incidents').at(-1);
    assert.equal(last?.message.status, 'warning');
    assert.deepEqual(
      last?.message.buttons?.map((b) => b.label),
      ['Escalate', 'Resolve'],
    );
  });

  it('assign gives a role, invites the person, and shows on the card', async () => {
    const reply = await h.say('/incident assign commander @carol');
    assert.match(reply.text ?? '', /@Carol is commander of incident #1/);
    assert.deepEqual(h.sender.invites.at(-1), { channel: 'C-inc-1-checkout-is-down', members: ['U3'] });
    const last = h.sender.sent.filter((s) => s.op === 'update' && s.channel === 'C-incidents').at(-1);
    assert.ok(last?.message.fields?.some((f) => f.label === 'Commander' && f.value === '@Carol'));
    const bad = await h.say('/incident assign captain @carol');
    assert.match(
      bad.text ?? '',
      /`captain` is not an incident role; the roles are commander, communications, scribe/,
    );
    const nobody = await h.say('/incident assign scribe @mallory');
    assert.match(nobody.text ?? '', /`@mallory` is not a person deckhand knows/);
  });

  it('with two incidents open, a command outside their channels asks which', async () => {
    await h.say('/incident declare search slow');
    const reply = await h.say('/incident note looking at it');
    assert.match(reply.text ?? '', /2 incidents are open \(#1, #2\): say which with `--id N`/);
    const noted = await h.say('/incident note cache flushed --id 1');
    assert.match(noted.text ?? '', /Noted on incident #1/);
    const status = await h.say('/incident status');
    assert.match(status.text ?? '', /#1 SEV2 acknowledged: checkout is down \(production\)/);
    assert.match(status.text ?? '', /#2 SEV3 open: search slow/);
  });

  it('resolve with a note, then the timeline lists what happened', async () => {
    const reply = await h.say('/incident resolve rolled back --id 1');
    assert.match(reply.text ?? '', /Incident #1 resolved by @Alice: rolled back/);
    const again = await h.say('/incident resolve --id 1');
    assert.match(again.text ?? '', /already/);
    const timeline = await h.say('/incident timeline --id 1');
    const text = timeline.text ?? '';
    assert.match(text, /^# Incident #1: checkout is down/);
    for (const line of [
      /opened: Opened: checkout is down/,
      /acknowledged: .*@Bob/,
      /role: @Carol is commander/,
      /note: cache flushed/,
      /resolved: .*rolled back/,
    ])
      assert.match(text, line);
  });
});

describe('/incident timeline', () => {
  it('merges deploys, locks and runbooks in the incident’s environments from the audit log', async () => {
    const h = await incidentHarness();
    try {
      await h.say('/incident declare staging broken --environment staging');
      await h.say('/ci lock staging investigating');
      await h.say('/ci deploy staging v1.1.0');
      await h.say('/ci lock production elsewhere');
      const text = (await h.say('/incident timeline')).text ?? '';
      assert.match(text, /@Alice · `\/ci lock staging investigating`/);
      assert.match(text, /@Alice · `\/ci deploy staging v1\.1\.0` → /);
      assert.doesNotMatch(text, /lock production/, 'another environment is not on it');
    } finally {
      await h.close();
    }
  });
});

describe('/incident without an incidents section', () => {
  it('says how to set it up', async () => {
    const { incidentConfig } = await import('../../core/incidents/harness.ts');
    const h = await incidentHarness({ yaml: incidentConfig.replace(/incidents:\n {2}channel[\s\S]*$/, '') });
    try {
      const reply = await h.say('/incident declare x');
      assert.match(reply.text ?? '', /add an `incidents:` section with `channel:`/);
    } finally {
      await h.close();
    }
  });
});

describe('an incident where channels cannot be created (Teams)', () => {
  it('lives in the card’s thread, the on-call person mentioned there', async () => {
    const h = await incidentHarness({ sender: new RecordingSender('test') });
    try {
      await h.say('/incident declare api down');
      const card = h.sender.sent.find((s) => s.channel === 'C-incidents' && s.op === 'post' && !s.threadId);
      assert.ok(card);
      const mention = h.sender.sent.find((s) => s.threadId === card.messageId);
      assert.match(mention?.message.text ?? '', /@Bob: you are on call for this incident/);
      const [incident] = await h.deckhand.stores.incidentStore.open();
      assert.deepEqual(
        incident?.places.filter((p) => p.platform === 'test'),
        [{ platform: 'test', channel: 'C-incidents', thread: true }],
      );
    } finally {
      await h.close();
    }
  });
});
