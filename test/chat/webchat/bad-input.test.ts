import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { closeHarness, createHarness, type Harness } from './harness.ts';

const json = { 'content-type': 'application/json' };
const message = (body: unknown): InjectOptions => ({
  method: 'POST',
  url: '/api/webchat/messages',
  headers: json,
  payload: JSON.stringify(body),
});
const action = (body: unknown): InjectOptions => ({
  method: 'POST',
  url: '/api/webchat/actions',
  headers: json,
  payload: JSON.stringify(body),
});
const ok = { channel: 'general', user: 'bob', text: 'hi' };

/** [name, request, expected status, pattern the error sentence must match]. */
const cases: [string, InjectOptions, number, RegExp][] = [
  ['missing channel', message({ user: 'bob', text: 'hi' }), 400, /"channel" is required/],
  ['missing user', message({ channel: 'general', text: 'hi' }), 400, /"user" is required/],
  ['missing text', message({ channel: 'general', user: 'bob' }), 400, /"text" is required/],
  ['text is a number', message({ ...ok, text: 42 }), 400, /"text" must be a string, not a number/],
  ['channel is an array', message({ ...ok, channel: ['general'] }), 400, /"channel" must be a string/],
  ['body is an array', message([ok]), 400, /JSON object/],
  ['body is a string', message('hello'), 400, /JSON object/],
  ['body is null', message(null), 400, /JSON object/],
  ['empty text', message({ ...ok, text: '' }), 400, /"text" must not be empty/],
  ['blank text', message({ ...ok, text: '   ' }), 400, /"text" must not be empty/],
  ['text of 4001 characters', message({ ...ok, text: 'x'.repeat(4001) }), 400, /at most 4000/],
  ['channel with a path', message({ ...ok, channel: '../etc' }), 400, /"channel" must be 1 to 80 letters/],
  ['channel of 81 characters', message({ ...ok, channel: 'c'.repeat(81) }), 400, /"channel" must be/],
  ['user with a space', message({ ...ok, user: 'bob smith' }), 400, /"user" must be/],
  ['threadId not an id', message({ ...ok, threadId: 'abc' }), 400, /"threadId" must be a message id/],
  ['threadId an object', message({ ...ok, threadId: { id: 1 } }), 400, /"threadId" must be a message id/],
  [
    'malformed JSON',
    { method: 'POST', url: '/api/webchat/messages', headers: json, payload: '{"channel": "general",' },
    400,
    /not valid JSON/,
  ],
  [
    'empty JSON body',
    { method: 'POST', url: '/api/webchat/messages', headers: json, payload: '' },
    400,
    /empty/,
  ],
  [
    'text/plain body',
    {
      method: 'POST',
      url: '/api/webchat/messages',
      headers: { 'content-type': 'text/plain' },
      payload: 'hi',
    },
    415,
    /Content-Type: application\/json/,
  ],
  [
    'form body',
    {
      method: 'POST',
      url: '/api/webchat/messages',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'channel=general&user=bob&text=hi',
    },
    415,
    /Content-Type: application\/json/,
  ],
  ['no body at all', { method: 'POST', url: '/api/webchat/messages' }, 400, /JSON object/],
  ['body over the limit', message({ ...ok, text: 'x'.repeat(40_000) }), 413, /too large/],
  [
    'prototype poisoning',
    { method: 'POST', url: '/api/webchat/messages', headers: json, payload: '{"__proto__": {"x": 1}}' },
    400,
    /not valid JSON/,
  ],
  ['action without messageId', action({ actionId: 'a', user: 'bob' }), 400, /"messageId" is required/],
  [
    'action with a bad messageId',
    action({ messageId: '1; drop', actionId: 'a', user: 'bob' }),
    400,
    /message id/,
  ],
  ['action with an empty actionId', action({ messageId: '1', actionId: '', user: 'bob' }), 400, /"actionId"/],
  ['action with a numeric actionId', action({ messageId: '1', actionId: 7, user: 'bob' }), 400, /"actionId"/],
  [
    'listing a bad channel',
    { method: 'GET', url: '/api/webchat/channels/..%2Fetc/messages' },
    400,
    /"channel"/,
  ],
  [
    'listing with a bad thread',
    { method: 'GET', url: '/api/webchat/channels/general/messages?thread=x' },
    400,
    /"thread"/,
  ],
  [
    'listing with a bad after',
    { method: 'GET', url: '/api/webchat/channels/general/messages?after=-1' },
    400,
    /"after"/,
  ],
];

describe('webchat bad input', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => closeHarness(h));

  for (const [name, request, status, pattern] of cases) {
    test(`${name} → ${status} with a sentence`, async () => {
      const response = await h.app.inject(request);
      assert.equal(response.statusCode, status, response.body);
      const body = response.json() as { error?: unknown };
      assert.equal(typeof body.error, 'string');
      assert.match(String(body.error), pattern);
      assert.match(
        String(body.error),
        /^[A-Z"].*\.$/,
        'a sentence starting upper-case and ending with a period',
      );
    });
  }

  test('nothing invalid was stored', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/api/webchat/channels/general/messages' });
    assert.deepEqual(response.json(), { messages: [] });
    assert.equal(h.inbound.commands.length, 0);
  });
});
