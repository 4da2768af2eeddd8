import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { signSnykPayload } from '../../../src/alerts/snyk/index.ts';
import { securityDeckhand, snykSecret } from '../sarif/deckhand.ts';

const snapshot = readFileSync(new URL('../../fixtures/snyk/project-snapshot.json', import.meta.url));
// Snyk's documented ping body.
const ping = Buffer.from('{"webhookId":"d3cf26b3-2d77-497b-bce2-23b33cc15362"}');

type D = Awaited<ReturnType<typeof securityDeckhand>>;

/** A delivery with Snyk's headers (https://docs.snyk.io/snyk-api/using-specific-snyk-apis/webhooks-apis/webhooks). */
function deliver(
  d: D,
  body: Buffer,
  o: { event?: string; transport?: string; signature?: string; type?: string } = {},
) {
  return d.app.inject({
    method: 'POST',
    url: '/webhooks/snyk',
    headers: {
      'content-type': o.type ?? 'application/json',
      'x-snyk-event': o.event ?? 'project_snapshot/v0',
      'x-snyk-transport-id': o.transport ?? '998fe884-18a0-45db-8ae0-e379eea3bc0a',
      'x-snyk-timestamp': '2020-09-25T15:27:53Z',
      'x-hub-signature': o.signature ?? signSnykPayload(snykSecret, body),
      'user-agent': 'Snyk-Webhooks/044aadd',
    },
    payload: body,
  });
}

describe('POST /webhooks/snyk', () => {
  let d: D;
  before(async () => {
    // Snyk's documented issue is a low one.
    d = await securityDeckhand('{ minSeverity: low }');
  });
  after(() => d.deckhand.close());

  it('refuses a forged or missing signature with 401, and records nothing', async () => {
    assert.equal(
      (await deliver(d, snapshot, { signature: signSnykPayload('guess', snapshot) })).statusCode,
      401,
    );
    assert.equal((await deliver(d, snapshot, { signature: '' })).statusCode, 401);
    const altered = Buffer.from(snapshot.toString().replace('"low"', '"critical"'));
    assert.equal(
      (await deliver(d, altered, { signature: signSnykPayload(snykSecret, snapshot) })).statusCode,
      401,
    );
    assert.equal(await d.recorded(), 0);
  });

  it('refuses malformed bodies with 400 and oversized ones with 413, recording nothing', async () => {
    assert.equal((await deliver(d, Buffer.from('{"project":'))).statusCode, 400);
    assert.equal((await deliver(d, Buffer.from('{"project":{"name":"p"}}'))).statusCode, 400);
    const big = Buffer.from(JSON.stringify({ pad: 'x'.repeat(5 * 1024 * 1024) }));
    assert.equal((await deliver(d, big)).statusCode, 413);
    assert.equal(await d.recorded(), 0);
  });

  it('answers the ping without recording it', async () => {
    const res = await deliver(d, ping, { event: 'ping/v0' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { ignored: 'ping' });
    assert.equal(await d.recorded(), 0);
  });

  it('records the documented snapshot before answering; its issue reaches #security once', async () => {
    assert.equal((await deliver(d, snapshot)).statusCode, 202);
    assert.equal(await d.recorded(), 1);
    const again = await deliver(d, snapshot);
    assert.equal(again.statusCode, 200, 'the same transport id is a repeat');
    // The next test of the project: another delivery, the same issue.
    assert.equal(
      (await deliver(d, snapshot, { transport: '11111111-2222-4333-8444-555555555555' })).statusCode,
      202,
    );
    await d.drain();
    const messages = await d.messages('security');
    assert.equal(messages.length, 1);
    const text = messages[0]?.text ?? '';
    assert.match(text, /Security findings in snyk\/goof: 1 new \(1 low\)/);
    assert.match(
      text,
      /low npm:ms:20170412 in ms 1\.0\.0, fixed in 2\.0\.0: Regular Expression Denial of Service \(ReDoS\) \(Snyk\)/,
    );
    assert.match(text, /From: Snyk project snyk\/goof/);
    assert.match(text, /https:\/\/app\.snyk\.io\/org\//);
  });
});

describe('POST /webhooks/snyk, default threshold', () => {
  it('a low issue is below the default (high): nothing is told', async () => {
    const d = await securityDeckhand();
    try {
      assert.equal((await deliver(d, snapshot)).statusCode, 202);
      await d.drain();
      assert.deepEqual(await d.messages('security'), []);
    } finally {
      await d.deckhand.close();
    }
  });
});
