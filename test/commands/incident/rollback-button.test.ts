/** The card's "Roll back <env> to <last good version>": listed deploys, confirmation, the rollback run, audited. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertmanagerPayload } from '../../alerts/fixtures.ts';
import { incidentHarness } from '../../core/incidents/harness.ts';

describe('the rollback button on an incident', () => {
  it('rolls back to the version before the recent deploys after confirmation, audited', async () => {
    const h = await incidentHarness();
    try {
      const { deployments } = h.deckhand.stores;
      // v1 went out the day before; v2 half an hour before the alert (the clock is at 10:00).
      for (const [runId, version, time] of [
        [901, 'v1.0.0', '2026-02-28T15:00:00Z'],
        [902, 'v2.0.0', '2026-03-01T09:30:00Z'],
      ] as const) {
        await deployments.create(
          { environment: 'production', version, runId, kind: 'deploy', requestedBy: 'alice' },
          new Date(time),
        );
        await deployments.finish(runId, 'succeeded', undefined, new Date(time));
      }
      const answer = await h.deckhand.app.inject({
        method: 'POST',
        url: '/webhooks/alertmanager',
        headers: { 'content-type': 'application/json', authorization: 'Bearer am-token-0123456789' },
        payload: JSON.stringify(alertmanagerPayload()),
      });
      assert.equal(answer.statusCode, 200);
      await h.settle();
      const card = h.sender.sent.find((s) => s.channel === 'C-incidents' && s.op === 'post');
      assert.ok(card);
      assert.match(
        card.message.text ?? '',
        /Deploys to `production` shortly before the alert:\n• `v2\.0\.0` by @Alice/,
      );
      assert.doesNotMatch(
        card.message.text ?? '',
        /v1\.0\.0` by/,
        'the deploy outside the window is not listed',
      );
      const button = card.message.buttons?.find((b) => b.label === 'Roll back production to v1.0.0');
      assert.ok(button, 'the card offers the rollback');

      // Production is protected: the click asks for confirmation first.
      const asked = await h.click(card.messageId, button.id, 'U2');
      assert.match(asked.text ?? '', /confirm/i);
      assert.equal(h.ci.provider.triggered.length, 0, 'nothing runs before confirmation');
      const prompt = h.sender.sent
        .filter((s) => s.message.buttons?.some((b) => b.label === 'Confirm'))
        .at(-1);
      const confirm = prompt?.message.buttons?.find((b) => b.label === 'Confirm');
      assert.ok(prompt && confirm);
      await h.click(prompt.messageId, confirm.id, 'U2');
      await h.settle();
      const run = h.ci.provider.triggered.at(-1);
      assert.equal(run?.kind, 'rollback');
      assert.equal(run?.ref, 'v1.0.0');
      const audit = await h.deckhand.stores.auditLog.recent(20);
      assert.ok(audit.some((e) => e.kind === 'action' && e.actor === 'bob' && e.decision === 'held:confirm'));
      assert.ok(
        audit.some((e) => e.runId !== undefined && e.actor === 'bob'),
        'the run is audited with bob',
      );
    } finally {
      await h.close();
    }
  });
});

describe('the rollback button without a rollback grant', () => {
  it('is refused, naming /ci rollback', async () => {
    const { incidentConfig } = await import('../../core/incidents/harness.ts');
    const yaml = incidentConfig
      .replace('policy: { allowEveryone: true }', '')
      .replace(
        'people:\n  - { id: alice, name: Alice, chat: { test: U1 } }',
        'people:\n  - { id: alice, name: Alice, roles: [responder], chat: { test: U1 } }',
      )
      .concat('roles:\n  responder: { allow: [{ commands: ["incident *"] }] }\n');
    const h = await incidentHarness({ yaml });
    try {
      const at = new Date('2026-03-01T09:30:00Z');
      for (const [runId, version, time] of [
        [901, 'v1.0.0', new Date('2026-02-28T15:00:00Z')],
        [902, 'v2.0.0', at],
      ] as const) {
        await h.deckhand.stores.deployments.create(
          { environment: 'production', version, runId, kind: 'deploy', requestedBy: 'alice' },
          time,
        );
        await h.deckhand.stores.deployments.finish(runId, 'succeeded', undefined, time);
      }
      await h.say('/incident declare checkout down --environment production');
      const card = h.sender.sent.find((s) => s.channel === 'C-incidents' && s.op === 'post');
      const button = card?.message.buttons?.find((b) => b.label.startsWith('Roll back production'));
      assert.ok(card && button);
      const refused = await h.click(card.messageId, button.id, 'U1');
      assert.equal(refused.status, 'error');
      assert.match(refused.text ?? '', /\/ci rollback/);
      assert.equal(h.ci.provider.triggered.length, 0);
    } finally {
      await h.close();
    }
  });
});
