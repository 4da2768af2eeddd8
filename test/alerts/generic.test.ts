/** POST /webhooks/alerts: deckhand's documented alert schema (docs/incidents.md), for Grafana, Datadog and others. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseSeverity } from '../../src/core/incidents/severity.ts';
import { incidentHarness } from '../core/incidents/harness.ts';

const alert = (o: Record<string, unknown> = {}) => ({
  id: 'datadog-monitor-4242',
  title: 'Checkout p99 latency above 2s',
  status: 'firing',
  severity: 'P2',
  environment: 'production',
  service: 'checkout',
  startedAt: '2026-03-01T09:55:00Z',
  links: [{ label: 'Monitor', url: 'https://app.datadoghq.com/monitors/4242' }],
  ...o,
});

describe('generic alert webhook', () => {
  let h: Awaited<ReturnType<typeof incidentHarness>>;
  const post = (body: unknown, token = 'alerts-token-0123456789') =>
    h.deckhand.app.inject({
      method: 'POST',
      url: '/webhooks/alerts',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      payload: JSON.stringify(body),
    });
  before(async () => {
    h = await incidentHarness();
  });
  after(() => h.close());

  it('refuses a wrong token, an unknown field, a bad status and an oversized body', async () => {
    assert.equal(
      (await post(alert(), 'am-token-0123456789')).statusCode,
      401,
      'the other webhook’s token is not this one’s',
    );
    const unknown = await post(alert({ colour: 'red' }));
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.json().error, /docs\/incidents\.md/);
    assert.equal((await post(alert({ status: 'pending' }))).statusCode, 400);
    assert.equal((await post(alert({ description: 'x'.repeat(70_000) }))).statusCode, 413);
    await h.settle();
    assert.equal((await h.deckhand.stores.incidentStore.open()).length, 0);
  });

  it('opens one incident, a repeat is answered as a duplicate, resolved resolves it', async () => {
    assert.equal((await post(alert())).statusCode, 202);
    const repeat = await post(alert());
    assert.equal(repeat.statusCode, 200);
    assert.equal(repeat.json().duplicate, true);
    await h.settle();
    const [incident] = await h.deckhand.stores.incidentStore.open();
    assert.equal(incident?.severity, 2);
    assert.deepEqual(incident?.environments, ['production']);
    assert.equal(incident?.links[0]?.url, 'https://app.datadoghq.com/monitors/4242');
    // Without startedAt every delivery is recorded; the incident's state decides: a repeat changes nothing.
    await post(alert({ id: 'no-start', startedAt: undefined }));
    await h.settle();
    const posts = h.sender.sent.length;
    assert.equal((await post(alert({ id: 'no-start', startedAt: undefined }))).statusCode, 202);
    await h.settle();
    assert.equal(h.sender.sent.length, posts);
    assert.equal((await h.deckhand.stores.incidentStore.open()).length, 2);
    await post(alert({ status: 'resolved' }));
    await post(alert({ id: 'no-start', status: 'resolved', startedAt: undefined }));
    await h.settle();
    assert.equal((await h.deckhand.stores.incidentStore.get(incident?.id ?? 0))?.status, 'resolved');
    assert.equal((await h.deckhand.stores.incidentStore.open()).length, 0);
  });

  it('says when the alert resolves after the incident was resolved by hand', async () => {
    await post(alert({ id: 'grafana-1', startedAt: '2026-03-01T10:00:00Z' }));
    await h.settle();
    const [incident] = await h.deckhand.stores.incidentStore.open();
    await h.say(`/incident resolve --id ${incident?.id}`);
    await post(alert({ id: 'grafana-1', status: 'resolved', startedAt: '2026-03-01T10:00:00Z' }));
    await h.settle();
    assert.ok(h.sender.sent.some((s) => /already resolved by hand by @Alice/.test(s.message.text ?? '')));
  });

  it('reads Datadog’s transition words as the two states', async () => {
    await post(alert({ id: 'dd-cycle-1', status: 'Triggered', severity: 'P1', startedAt: undefined }));
    await h.settle();
    const open = await h.deckhand.stores.incidentStore.open();
    assert.equal(open.at(-1)?.severity, 1);
    await post(alert({ id: 'dd-cycle-1', status: 'Recovered', startedAt: undefined }));
    await h.settle();
    assert.equal((await h.deckhand.stores.incidentStore.get(open.at(-1)?.id ?? 0))?.status, 'resolved');
    const bad = await post(alert({ status: 'No Data' }));
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().error, /neither firing nor resolved/);
  });

  it('reads severities as senders write them', () => {
    assert.equal(parseSeverity('critical'), 1);
    assert.equal(parseSeverity('SEV-2'), 2);
    assert.equal(parseSeverity('p3'), 3);
    assert.equal(parseSeverity(4), 4);
    assert.equal(parseSeverity('whatever'), undefined);
  });
});
