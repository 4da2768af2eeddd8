/** POST /webhooks/alertmanager: authenticated, validated, recorded once, and one incident per alert group. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { incidentHarness } from '../core/incidents/harness.ts';
import { alertmanagerPayload } from './fixtures.ts';

describe('Alertmanager webhook', () => {
  let h: Awaited<ReturnType<typeof incidentHarness>>;
  const post = (body: unknown, token: string | undefined = 'am-token-0123456789', raw?: string) =>
    h.deckhand.app.inject({
      method: 'POST',
      url: '/webhooks/alertmanager',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      payload: raw ?? JSON.stringify(body),
    });
  before(async () => {
    h = await incidentHarness();
  });
  after(() => h.close());

  it('refuses a missing or wrong token (401), a malformed body (400) and an oversized one (413)', async () => {
    assert.equal((await post(alertmanagerPayload(), '')).statusCode, 401);
    assert.equal((await post(alertmanagerPayload(), 'wrong-token')).statusCode, 401);
    const notJson = await post(undefined, '', '{');
    assert.equal(notJson.statusCode, 401, 'the token is checked before the body is read');
    assert.equal((await post(undefined, 'am-token-0123456789', '{')).statusCode, 400);
    const v3 = await post({ ...alertmanagerPayload(), version: '3' });
    assert.equal(v3.statusCode, 400);
    assert.match(v3.json().error, /version/);
    const noAlerts = await post({ ...alertmanagerPayload(), alerts: [] });
    assert.equal(noAlerts.statusCode, 400);
    const big = await post(undefined, 'am-token-0123456789', JSON.stringify({ pad: 'x'.repeat(1_100_000) }));
    assert.equal(big.statusCode, 413);
    await h.settle();
    assert.equal(
      (await h.deckhand.stores.incidentStore.open()).length,
      0,
      'nothing refused opened an incident',
    );
  });

  it('opens one incident per group, in its own channel with the on-call person invited, once across HA peers', async () => {
    const first = await post(alertmanagerPayload());
    assert.equal(first.statusCode, 200);
    // The second peer of an HA pair sends the same notification.
    const second = await post(alertmanagerPayload());
    assert.equal(second.statusCode, 200);
    assert.equal(second.json().duplicate, true);
    await h.settle();
    const open = await h.deckhand.stores.incidentStore.open();
    assert.equal(open.length, 1);
    const incident = open[0];
    assert.ok(incident);
    assert.equal(incident.title, 'Checkout error rate above 5%');
    assert.equal(incident.severity, 1);
    assert.deepEqual(incident.environments, ['production']);
    assert.equal(incident.service, 'checkout');
    const room = h.sender.channels.get(`inc-${incident.id}-checkout-error-rate-above-5`);
    assert.ok(room, 'a dedicated channel was created');
    assert.deepEqual(room.members, ['U2'], 'bob, on call, is invited');
    const cards = h.sender.sent.filter(
      (s) => s.op === 'post' && s.message.header?.startsWith(`Incident #${incident.id}`),
    );
    assert.deepEqual(
      cards.map((c) => c.channel).sort(),
      ['C-incidents', room.id].sort(),
      'a card in each place',
    );
    const buttons = cards[0]?.message.buttons?.map((b) => b.label);
    assert.deepEqual(buttons, ['Acknowledge', 'Escalate', 'Resolve']);
    assert.ok(
      h.sender.sent.some((s) => s.channel === room.id && /@Bob: you are on call/.test(s.message.text ?? '')),
    );
  });

  it('a repeated firing notification posts nothing new', async () => {
    const before = h.sender.sent.length;
    // Alertmanager repeats after repeat_interval; the same alerts, the same start.
    const again = alertmanagerPayload();
    again.commonAnnotations.description = 'still failing';
    const answer = await post(again);
    assert.equal(answer.statusCode, 200);
    await h.settle();
    assert.equal(h.sender.sent.length, before, 'no post and no edit');
  });

  it('a resolved notification resolves the incident and edits its card', async () => {
    const answer = await post(alertmanagerPayload({ status: 'resolved' }));
    assert.equal(answer.statusCode, 200);
    await h.settle();
    const [incident] = await h.deckhand.stores.incidentStore.recent(1);
    assert.equal(incident?.status, 'resolved');
    assert.equal(incident?.resolvedBy, 'alertmanager');
    const updates = h.sender.sent.filter((s) => s.op === 'update' && s.channel === 'C-incidents');
    assert.equal(updates.at(-1)?.message.status, 'succeeded');
    assert.equal(updates.at(-1)?.message.buttons, undefined, 'a resolved card has no buttons');
    assert.ok(h.sender.sent.some((s) => /The alert resolved \(alertmanager\)/.test(s.message.text ?? '')));
  });

  it('the same group firing again later is a new incident', async () => {
    await post(alertmanagerPayload({ startsAt: '2026-03-01T12:00:00Z' }));
    await h.settle();
    const open = await h.deckhand.stores.incidentStore.open();
    assert.equal(open.length, 1);
    assert.equal(open[0]?.id, 2);
  });
});
