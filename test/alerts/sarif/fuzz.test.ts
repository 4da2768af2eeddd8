/** The scanners' webhooks under the shared fuzz cases: only 4xx or their 2xx, nothing acknowledged fails later. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { signSnykPayload } from '../../../src/alerts/snyk/index.ts';
import { bodies, check, failures, seen } from '../../helpers/fuzz.ts';
import { sarifToken, securityDeckhand, snykSecret } from './deckhand.ts';

const fixture = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as unknown;

describe('fuzzing the scanners’ webhooks', () => {
  let d: Awaited<ReturnType<typeof securityDeckhand>>;
  before(async () => {
    d = await securityDeckhand('{ minSeverity: low }');
    await d.deckhand.startWorkers();
  });
  after(() => d.deckhand.close());

  const cases: [string, unknown, (b: string | Buffer) => Record<string, string>][] = [
    [
      '/webhooks/sarif?repository=org/app',
      fixture('../../fixtures/sarif/trivy-alpine-310.sarif.json'),
      () => ({ authorization: `Bearer ${sarifToken}` }),
    ],
    [
      '/webhooks/snyk',
      fixture('../../fixtures/snyk/project-snapshot.json'),
      (b) => ({ 'x-snyk-event': 'project_snapshot/v0', 'x-hub-signature': signSnykPayload(snykSecret, b) }),
    ],
  ];
  for (const [url, sample, sign] of cases) {
    it(`${url}: malformed, truncated, random and oversized bodies, correctly signed`, async () => {
      const failed = failures(d.deckhand.stores);
      for (const { name, body } of bodies(sample)) {
        const headers = { 'content-type': 'application/json', ...sign(body) };
        check(`${url} ${name}`, await d.app.inject({ method: 'POST', url, payload: body, headers }));
      }
      const big = await d.app.inject({
        method: 'POST',
        url,
        payload: `"${'x'.repeat(30 * 1024 * 1024)}"`,
        headers: { 'content-type': 'application/json', ...sign('') },
      });
      assert.equal(big.statusCode, 413, `${url} oversized`);
      await d.deckhand.handled();
      assert.equal(failed(), 0, `${url}: nothing acknowledged failed afterwards`);
      assert.deepEqual([...(seen.get(url) ?? [])].sort(), [2, 4], `${url}: accepted and refused cases`);
      assert.equal((await d.app.inject({ url: '/healthz' })).statusCode, 200, `${url}: still serving`);
    });
  }
});
