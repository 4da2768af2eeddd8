/** The alert handler run again (a crash between its steps) opens nothing twice and posts nothing twice. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertmanagerPayload, toAlertGroup } from '../../../src/alerts/alertmanager/payload.ts';
import { alertmanagerPayload as fixture } from '../../alerts/fixtures.ts';
import { incidentHarness } from './harness.ts';

const group = () => toAlertGroup(alertmanagerPayload.parse(fixture()));

describe('incident service', () => {
  it('handling the same notification twice changes nothing the second time', async () => {
    const h = await incidentHarness();
    try {
      const service = h.deckhand.incidents?.service;
      assert.ok(service);
      await service.alert(group());
      await h.settle();
      const sent = h.sender.sent.length;
      await service.alert(group());
      await h.settle();
      assert.equal(h.sender.sent.length, sent);
      assert.equal((await h.deckhand.stores.incidentStore.recent(5)).length, 1);
    } finally {
      await h.close();
    }
  });

  it('an incident recorded before a crash, without its places yet, gets them from the next notification', async () => {
    const h = await incidentHarness();
    try {
      const g = group();
      const store = h.deckhand.stores.incidentStore;
      await store.create({
        title: g.title,
        severity: 1,
        status: 'open',
        groupKey: g.groupKey,
        source: g.source,
        alertStatus: 'firing',
        alerts: g.alerts,
        links: [],
        environments: g.environments,
        roles: {},
        places: [],
        createdAt: h.clock.now(),
        createdBy: g.source,
        escalation: { level: 0, round: 0 },
      });
      await h.deckhand.incidents?.service.alert(g);
      await h.settle();
      const all = await store.recent(5);
      assert.equal(all.length, 1, 'no second incident');
      assert.ok(all[0]?.places.some((p) => p.room === 'C-inc-1-checkout-error-rate-above-5'));
      const cards = h.sender.sent.filter(
        (s) => s.op === 'post' && s.message.header?.startsWith('Incident #1'),
      );
      assert.equal(cards.length, 2, 'its card, in the incidents channel and its own');
    } finally {
      await h.close();
    }
  });
});
