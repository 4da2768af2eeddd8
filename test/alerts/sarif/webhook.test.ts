import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { builtinModules } from '../../../src/modules/builtin.ts';
import { secretValues } from '../../../src/server/secrets.ts';
import { startTestDeckhand } from '../../helpers/test-deckhand.ts';
import { sarifToken, securityDeckhand } from './deckhand.ts';

const trivy = readFileSync(new URL('../../fixtures/sarif/trivy-alpine-310.sarif.json', import.meta.url));

type D = Awaited<ReturnType<typeof securityDeckhand>>;

function upload(
  d: D,
  body: Buffer | string,
  o: { token?: string; query?: string; type?: string; headers?: Record<string, string> } = {},
) {
  return d.app.inject({
    method: 'POST',
    url: `/webhooks/sarif${o.query ?? '?repository=org/app&run=ci-981'}`,
    headers: {
      'content-type': o.type ?? 'application/sarif+json',
      ...(o.token === '' ? {} : { authorization: `Bearer ${o.token ?? sarifToken}` }),
      ...o.headers,
    },
    payload: body,
  });
}

describe('POST /webhooks/sarif', () => {
  let d: D;
  before(async () => {
    d = await securityDeckhand('{ minSeverity: medium, sarifBodyLimit: 65536 }');
  });
  after(() => d.deckhand.close());

  it('refuses a wrong or missing token with 401, and records nothing', async () => {
    assert.equal((await upload(d, trivy, { token: 'wrong' })).statusCode, 401);
    assert.equal((await upload(d, trivy, { token: '' })).statusCode, 401);
    assert.equal(await d.recorded(), 0);
  });

  it('refuses malformed bodies with 400, the wrong type with 415, and records nothing', async () => {
    const bad = await upload(d, '{"version": "2.1.0", "runs": [');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().error, /not valid JSON/);
    assert.equal((await upload(d, '{"version":"1.0","runs":[]}')).statusCode, 400);
    const noRepo = await upload(d, trivy, { query: '' });
    assert.equal(noRepo.statusCode, 400);
    assert.match(noRepo.json().error, /Name the repository/);
    assert.equal((await upload(d, trivy, { query: '?repository=a;rm -rf /' })).statusCode, 400);
    assert.equal(
      (await upload(d, Buffer.from('not gzip'), { headers: { 'content-encoding': 'gzip' } })).statusCode,
      400,
    );
    assert.equal((await upload(d, trivy, { type: 'text/plain' })).statusCode, 415);
    assert.equal(await d.recorded(), 0);
  });

  it('refuses an oversized body with 413, compressed or once decompressed, and records nothing', async () => {
    const big = Buffer.from(JSON.stringify({ version: '2.1.0', runs: [], pad: 'x'.repeat(70_000) }));
    assert.equal((await upload(d, big)).statusCode, 413);
    const bomb = await upload(d, gzipSync(big), { headers: { 'content-encoding': 'gzip' } });
    assert.equal(bomb.statusCode, 413);
    assert.match(bomb.json().error, /larger than 65536 bytes once decompressed/);
    assert.equal(await d.recorded(), 0);
  });

  it('records Trivy’s log before answering, once; the findings reach #security in one message, once', async () => {
    const first = await upload(d, trivy);
    assert.equal(first.statusCode, 202);
    assert.deepEqual(first.json(), { recorded: 4 });
    assert.equal(await d.recorded(), 1, 'on disk before the answer');
    const again = await upload(d, trivy);
    assert.equal(again.statusCode, 200);
    assert.deepEqual(again.json(), { duplicate: true });
    // The next run's log, gzipped and named by headers, holds the same findings.
    const next = await upload(d, gzipSync(trivy), {
      query: '',
      headers: { 'content-encoding': 'gzip', 'x-deckhand-repository': 'org/app', 'x-deckhand-run': 'ci-982' },
    });
    assert.equal(next.statusCode, 202);
    await d.drain();
    const messages = await d.messages('security');
    assert.equal(messages.length, 1, 'one message for the scan, none for the repeat');
    const text = messages[0]?.text ?? '';
    assert.match(text, /Security findings in org\/app: 4 new \(4 medium\)/);
    assert.match(text, /medium CVE-2019-1549 in libcrypto1\.1 1\.1\.1c-r0, fixed in 1\.1\.1d-r0/);
    assert.match(text, /medium CVE-2019-1551 in libssl1\.1 1\.1\.1c-r0, fixed in 1\.1\.1d-r2/);
    assert.match(text, /From: upload ci-981/);
    assert.match(text, /Scanner: Trivy/);
    assert.equal(await d.recorded(), 0);
  });
});

describe('POST /webhooks/sarif, other settings', () => {
  it('at the default threshold (high), Trivy’s medium findings are not told', async () => {
    const d = await securityDeckhand();
    try {
      assert.equal((await upload(d, trivy)).statusCode, 202);
      await d.drain();
      assert.deepEqual(await d.messages('security'), []);
    } finally {
      await d.deckhand.close();
    }
  });

  it('many findings in one scan are one message, bounded, "and N more"', async () => {
    const d = await securityDeckhand('{ sarifBodyLimit: 4194304 }');
    try {
      const results = Array.from({ length: 2000 }, (_, i) => ({
        ruleId: 'py/sql-injection',
        message: { text: `Query built from user input (${i})` },
        locations: [
          { physicalLocation: { artifactLocation: { uri: `app/v${i}.py` }, region: { startLine: i + 1 } } },
        ],
      }));
      const log = {
        version: '2.1.0',
        runs: [
          {
            tool: {
              driver: {
                name: 'CodeQL',
                rules: [{ id: 'py/sql-injection', properties: { 'security-severity': '8.8' } }],
              },
            },
            results,
          },
        ],
      };
      assert.equal(
        (await upload(d, gzipSync(JSON.stringify(log)), { headers: { 'content-encoding': 'gzip' } }))
          .statusCode,
        202,
      );
      await d.drain();
      const messages = await d.messages('security');
      assert.equal(messages.length, 1);
      assert.match(messages[0]?.text ?? '', /2000 new \(2000 high\)/);
      assert.match(
        messages[0]?.text ?? '',
        /high py\/sql-injection at app\/v0\.py:1: Query built from user input \(0\) \(CodeQL\)/,
      );
      assert.match(messages[0]?.text ?? '', /…and 1990 more/);
    } finally {
      await d.deckhand.close();
    }
  });

  it('a mistaken security key is refused at load, with the path and a suggestion', async () => {
    await assert.rejects(
      startTestDeckhand({ yaml: 'security: { minSeverty: high }\n', workers: false }),
      /security\.minSeverty: unknown key "minSeverty"; did you mean "minSeverity"\?/,
    );
    await assert.rejects(
      startTestDeckhand({ yaml: 'security: { minSeverity: severe }\n', workers: false }),
      /security\.minSeverity: .*"low"\|"medium"\|"high"\|"critical"/,
    );
    await assert.rejects(
      startTestDeckhand({ yaml: 'security: { sarifBodyLimit: 104857600 }\n', workers: false }),
      /security\.sarifBodyLimit/,
    );
  });

  it('the token and Snyk’s secret are secrets, masked wherever they would leave deckhand', async () => {
    const d = await securityDeckhand();
    try {
      const secrets = secretValues(d.config, d.env, builtinModules);
      assert.ok(secrets.includes(sarifToken));
      assert.ok(secrets.includes(d.env.SNYK_WEBHOOK_SECRET as string));
    } finally {
      await d.deckhand.close();
    }
  });

  it('without SARIF_WEBHOOK_TOKEN every upload is refused, saying how to allow it', async () => {
    const d = await securityDeckhand(undefined, { SARIF_WEBHOOK_TOKEN: '' });
    try {
      const res = await upload(d, trivy, { token: '' });
      assert.equal(res.statusCode, 401);
      assert.match(res.json().error, /set SARIF_WEBHOOK_TOKEN/);
      assert.equal(await d.recorded(), 0);
    } finally {
      await d.deckhand.close();
    }
  });
});
