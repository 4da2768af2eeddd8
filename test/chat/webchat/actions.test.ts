import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { closeHarness, createHarness, type Harness, postJson } from './harness.ts';

describe('webchat button actions', () => {
  let h: Harness;
  let messageId = '';
  before(async () => {
    h = await createHarness();
    const posted = await h.adapter.sender.post(
      { channel: 'builds' },
      { header: 'Build #3 running', status: 'running', buttons: [{ id: 'cancel:3', label: 'Cancel' }] },
    );
    messageId = posted.messageId;
  });
  after(() => closeHarness(h));

  test('an unknown message is a 404', async () => {
    const { status, body } = await postJson(h.app, '/api/webchat/actions', {
      messageId: '424242',
      actionId: 'cancel:3',
      user: 'bob',
    });
    assert.equal(status, 404);
    assert.equal(typeof body.error, 'string');
    assert.equal(h.inbound.actions.length, 0);
  });

  test('a button the message does not carry is a 400', async () => {
    const { status, body } = await postJson(h.app, '/api/webchat/actions', {
      messageId,
      actionId: 'deploy:3',
      user: 'bob',
    });
    assert.equal(status, 400);
    assert.match(body.error, /no button "deploy:3"/);
    assert.equal(h.inbound.actions.length, 0);
  });

  test("a person's message has no buttons", async () => {
    const person = await postJson(h.app, '/api/webchat/messages', {
      channel: 'builds',
      user: 'bob',
      text: 'hi',
    });
    const { status } = await postJson(h.app, '/api/webchat/actions', {
      messageId: person.body.id,
      actionId: 'cancel:3',
      user: 'bob',
    });
    assert.equal(status, 400);
  });

  test('a valid click is accepted and reaches the core', async () => {
    const { status } = await postJson(h.app, '/api/webchat/actions', {
      messageId,
      actionId: 'cancel:3',
      user: 'bob',
    });
    assert.equal(status, 202);
    await h.inbound.until(() => h.inbound.actions.length === 1);
    assert.deepEqual(h.inbound.actions[0], {
      platform: 'webchat',
      userId: 'bob',
      channel: 'builds',
      messageId,
      actionId: 'cancel:3',
    });
  });
});
