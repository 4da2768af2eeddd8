import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deliveryKey, verifyGitlabToken } from '../../../src/ci/gitlab/verify.ts';

describe('GitLab webhook token', () => {
  const cases: [string, string | undefined, string | undefined, boolean][] = [
    ['the same token', 'hook-secret', 'hook-secret', true],
    ['unicode and shell characters compared as bytes', 'sé$(x)`;|', 'sé$(x)`;|', true],
    ['a different token of the same length', 'hook-secret', 'hook-secreT', false],
    ['a prefix of the token', 'hook-secret', 'hook-secre', false],
    ['a longer token', 'hook-secret', 'hook-secret-and-more', false],
    ['a missing header', 'hook-secret', undefined, false],
    ['an empty header', 'hook-secret', '', false],
    ['no token configured, whatever is sent', undefined, 'anything', false],
    ['no token configured and none sent', undefined, undefined, false],
  ];
  for (const [what, expected, given, ok] of cases) {
    it(`${ok ? 'accepts' : 'refuses'} ${what}`, () => {
      assert.equal(verifyGitlabToken(expected, given).ok, ok);
    });
  }

  it('says why for the log, never the token', () => {
    const verdict = verifyGitlabToken('hook-secret', 'wrong');
    assert.deepEqual(verdict, { ok: false, reason: 'token mismatch' });
  });
});

describe('GitLab delivery keys', () => {
  it('uses Idempotency-Key, the same across retries of one delivery', () => {
    assert.equal(
      deliveryKey({ 'idempotency-key': 'f5e5f430-f57b', 'x-gitlab-event-uuid': '13792a34-cac6' }),
      'f5e5f430-f57b',
    );
  });
  it('falls back to X-Gitlab-Event-UUID (GitLab before 17.4)', () => {
    assert.equal(deliveryKey({ 'x-gitlab-event-uuid': '13792a34-cac6' }), '13792a34-cac6');
  });
  it('has none when GitLab sends neither, or blanks', () => {
    assert.equal(deliveryKey({}), undefined);
    assert.equal(deliveryKey({ 'idempotency-key': '  ' }), undefined);
  });
  it('bounds what it stores', () => {
    assert.equal(deliveryKey({ 'idempotency-key': 'k'.repeat(5000) })?.length, 200);
  });
});
