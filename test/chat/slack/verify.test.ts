import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { signSlackRequest, verifySlackRequest } from '../../../src/chat/slack/verify.ts';

const secret = '8f742231b10e8888abcd99yyyzzz85a5';
const nowMs = 1_700_000_000_000;
const ts = String(nowMs / 1000);
const body = 'token=x&team_id=T1&command=%2Fci&text=build+main&user_id=U1';

function check(over: Partial<Parameters<typeof verifySlackRequest>[0]> = {}) {
  const rawBody = over.rawBody ?? body;
  const timestamp = 'timestamp' in over ? over.timestamp : ts;
  const signature = 'signature' in over ? over.signature : signSlackRequest(secret, timestamp ?? '', rawBody);
  return verifySlackRequest({ signingSecret: secret, rawBody, timestamp, signature, nowMs, ...over });
}

function rejected(result: ReturnType<typeof verifySlackRequest>): string {
  assert.equal(result.ok, false);
  return result.ok ? '' : result.reason;
}

describe('verifySlackRequest', () => {
  test('accepts a correctly signed request', () => {
    assert.deepEqual(check(), { ok: true });
  });

  test("reproduces the worked example in Slack's signing docs", () => {
    // https://api.slack.com/authentication/verifying-requests-from-slack
    const docBody =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V' +
      '&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=' +
      '&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
      '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    const expected = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
    assert.equal(signSlackRequest(secret, '1531420618', docBody), expected);
    const result = verifySlackRequest({
      signingSecret: secret,
      rawBody: docBody,
      timestamp: '1531420618',
      signature: expected,
      nowMs: 1531420618_000 + 10_000,
    });
    assert.deepEqual(result, { ok: true });
  });

  test('rejects a signature made with another secret', () => {
    const signature = signSlackRequest('another-secret', ts, body);
    assert.equal(rejected(check({ signature })), 'signature mismatch');
  });

  test('rejects a body tampered by one byte', () => {
    const signature = signSlackRequest(secret, ts, body);
    const tampered = `${body.slice(0, -1)}2`;
    assert.equal(rejected(check({ rawBody: tampered, signature })), 'signature mismatch');
  });

  test('rejects missing headers', () => {
    assert.match(rejected(check({ signature: undefined })), /X-Slack-Signature/);
    assert.match(rejected(check({ timestamp: undefined, signature: 'v0=abc' })), /Timestamp/);
    assert.match(rejected(check({ signature: '' })), /X-Slack-Signature/);
  });

  test('rejects a non-numeric timestamp', () => {
    for (const timestamp of ['abc', '17e8', '1700000000.5', '-1700000000', ' 1700000000']) {
      assert.equal(rejected(check({ timestamp })), 'timestamp is not an integer', timestamp);
    }
  });

  test('applies the 300 s replay window in both directions', () => {
    const at = (offsetSeconds: number) => String(nowMs / 1000 + offsetSeconds);
    assert.equal(rejected(check({ timestamp: at(-301) })), 'stale timestamp');
    assert.equal(rejected(check({ timestamp: at(301) })), 'stale timestamp');
    assert.deepEqual(check({ timestamp: at(-299) }), { ok: true });
    assert.deepEqual(check({ timestamp: at(299) }), { ok: true });
    assert.deepEqual(check({ timestamp: at(-300) }), { ok: true });
  });

  test('rejects a version other than v0', () => {
    const signature = signSlackRequest(secret, ts, body).replace(/^v0=/, 'v1=');
    assert.equal(rejected(check({ signature })), 'unsupported signature version');
  });

  test('rejects a signature of a different length without throwing', () => {
    const good = signSlackRequest(secret, ts, body);
    assert.equal(rejected(check({ signature: good.slice(0, -2) })), 'signature length mismatch');
    assert.equal(rejected(check({ signature: `${good}00` })), 'signature length mismatch');
    assert.equal(rejected(check({ signature: 'v0=' })), 'signature length mismatch');
  });

  test('accepts Buffer and string bodies alike', () => {
    const signature = signSlackRequest(secret, ts, body);
    assert.deepEqual(check({ rawBody: Buffer.from(body, 'utf8'), signature }), { ok: true });
    const fromBuffer = signSlackRequest(secret, ts, Buffer.from(body, 'utf8'));
    assert.equal(fromBuffer, signature);
  });

  test('signs unicode bodies over their UTF-8 bytes', () => {
    const unicode = 'text=d%C3%A9ploy&payload={"t":"déploiement 🚀 本番"}';
    const signature = signSlackRequest(secret, ts, unicode);
    assert.deepEqual(check({ rawBody: unicode, signature }), { ok: true });
    assert.deepEqual(check({ rawBody: Buffer.from(unicode, 'utf8'), signature }), { ok: true });
    assert.equal(rejected(check({ rawBody: unicode.normalize('NFD'), signature })), 'signature mismatch');
  });

  test('rejects everything when no signing secret is configured', () => {
    const signature = signSlackRequest('', ts, body);
    const result = verifySlackRequest({ signingSecret: '', rawBody: body, timestamp: ts, signature, nowMs });
    assert.equal(rejected(result), 'no signing secret configured');
  });
});
