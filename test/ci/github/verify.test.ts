import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { githubVerifier, signGithubPayload } from '../../../src/ci/github/verify.ts';

// GitHub's published test values (docs: "Validating webhook deliveries", protocols.md §5.2).
const secret = "It's a Secret to Everybody";
const body = 'Hello, World!';
const expected = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

describe('GitHub webhook signatures', () => {
  it('signs and verifies GitHub’s test vector', async () => {
    assert.equal(await signGithubPayload(secret, body), expected);
    assert.deepEqual(await githubVerifier(secret)(body, expected), { ok: true });
  });

  it('refuses every other case, with a reason for the log', async () => {
    const verify = githubVerifier(secret);
    const cases: [string, string | undefined, RegExp][] = [
      [`${body} `, expected, /mismatch/],
      [body, expected.replace(/7$/, '8'), /mismatch/],
      [body, expected.slice(0, -2), /mismatch/],
      [body, undefined, /missing/],
      [body, 'sha1=0a4d55a8d778e5022fab701977c5d840bbc486d0', /algorithm/],
      ['', expected, /empty body/],
    ];
    for (const [raw, signature, reason] of cases) {
      const result = await verify(raw, signature);
      assert.equal(result.ok, false, `${raw} / ${signature}`);
      if (!result.ok) assert.match(result.reason, reason);
    }
    const none = await githubVerifier(undefined)(body, expected);
    assert.deepEqual(none, { ok: false, reason: 'no webhook secret configured (GITHUB_WEBHOOK_SECRET)' });
  });
});
