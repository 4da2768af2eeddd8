/** An approval asked for during an incident reaches whoever is on call, in the incident's own channel. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { incidentConfig, incidentHarness } from './harness.ts';

const yaml = `${incidentConfig
  .replace(
    '  - { name: production, order: 2, protected: true }',
    '  - { name: production, order: 2, approvals: { count: 1, roles: [lead], channel: general } }',
  )
  .replace(
    '  - { id: carol, name: Carol, chat: { test: U3 } }',
    '  - { id: carol, name: Carol, roles: [lead], chat: { test: U3 } }',
  )}roles:
  lead: {}
`;

describe('approvals during an incident', () => {
  it('are told in the incident, naming who is on call and how to answer; elsewhere nothing is', async () => {
    const h = await incidentHarness({ yaml });
    try {
      await h.say('/incident declare checkout errors --severity 3 --environment production');
      const held = await h.say('/ci deploy production v1.1.0');
      assert.match(held.header ?? '', /Waiting for approval/);
      const code = held.text?.match(/`([A-Z2-9]{6})`/)?.[1] ?? held.header?.match(/([A-Z2-9]{6})/)?.[1];
      const told = h.sender.sent.filter((s) =>
        /Approval needed during this incident/.test(s.message.header ?? ''),
      );
      assert.equal(told.length, 1, 'told once, in the incident');
      const note = told[0];
      assert.ok(note);
      assert.match(note.channel, /inc-1-checkout-errors$/, "in the incident's own channel");
      assert.match(note.message.text ?? '', /@Alice asks to deploy `v1\.1\.0` to `production`/);
      assert.match(note.message.text ?? '', /@Bob, on call: `\/ci approve [A-Z2-9]{6}`/);
      if (code) assert.match(note.message.text ?? '', new RegExp(code));
      await h.say('/ci deploy staging v1.1.0');
      const again = h.sender.sent.filter((s) =>
        /Approval needed during this incident/.test(s.message.header ?? ''),
      );
      assert.equal(again.length, 1, 'staging has no approval rule and no incident: nothing more');
      await h.say('/incident resolve');
      await h.say('/ci deploy production v1.2.0');
      const after = h.sender.sent.filter((s) =>
        /Approval needed during this incident/.test(s.message.header ?? ''),
      );
      assert.equal(after.length, 1, 'a resolved incident is told nothing');
    } finally {
      await h.close();
    }
  });
});
