import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signCircleciBody, v1Signature, verifyCircleciSignature } from '../../../src/ci/circleci/verify.ts';

describe('CircleCI webhook signatures', () => {
  // The examples of https://circleci.com/docs/webhooks/#validate-webhooks (also protocols.md §8).
  const vectors = [
    ['hello world', 'secret', '734cc62f32841568f45715aeb9f4d7891324e6d948e4c6c60c0621cdac48623a'],
    ['lalala', 'another-secret', 'daa220016c8f29a8b214fbfc3671aeec2145cfb1e6790184ffb38b6d0425fa00'],
    [
      'an-important-request-payload',
      'hunter123',
      '9be2242094a9a8c00c64306f382a7f9d691de910b4a266f67bd314ef18ac49fa',
    ],
    ['foo', 'secret', '773ba44693c7553d6ee20f61ea5d2757a9a4f4a44d2841ae4e95b52e4cd62db4'],
  ] as const;

  for (const [body, secret, signature] of vectors) {
    it(`signs "${body}" with "${secret}" as CircleCI documents`, () => {
      assert.equal(signCircleciBody(secret, body), signature);
      assert.deepEqual(verifyCircleciSignature(secret, body, `v1=${signature}`), { ok: true });
      assert.deepEqual(verifyCircleciSignature(secret, Buffer.from(body), `v1=${signature}`), { ok: true });
    });
  }

  const good = `v1=${vectors[0][2]}`;
  it('finds v1 among several comma-separated versions, in any order', () => {
    assert.equal(v1Signature(`v2=abc,${good}, v3=def`), vectors[0][2]);
    assert.deepEqual(verifyCircleciSignature('secret', 'hello world', `v2=zz,${good}`), { ok: true });
  });

  const refusals: [string, string | undefined, string | undefined, string, RegExp][] = [
    ['a tampered body', 'secret', good, 'hello world!', /mismatch/],
    ['another secret', 'not-the-secret', good, 'hello world', /mismatch/],
    ['no header', 'secret', undefined, 'hello world', /missing/],
    ['only a newer version (no downgrade to it)', 'secret', `v2=${vectors[0][2]}`, 'hello world', /no v1/],
    ['a short signature', 'secret', 'v1=734cc62f', 'hello world', /not a SHA-256/],
    ['a non-hex signature', 'secret', `v1=${'z'.repeat(64)}`, 'hello world', /not a SHA-256/],
    ['no secret configured', undefined, good, 'hello world', /no webhook secret/],
    ['an empty secret', '', good, 'hello world', /no webhook secret/],
  ];
  for (const [what, secret, header, body, reason] of refusals) {
    it(`refuses ${what}`, () => {
      const result = verifyCircleciSignature(secret, body, header);
      assert.equal(result.ok, false);
      assert.match((result as { reason: string }).reason, reason);
    });
  }
});
