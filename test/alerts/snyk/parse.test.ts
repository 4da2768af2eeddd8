import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseSnyk, signSnykPayload, verifySnyk } from '../../../src/alerts/snyk/index.ts';

const snapshot = () =>
  JSON.parse(readFileSync(new URL('../../fixtures/snyk/project-snapshot.json', import.meta.url), 'utf8'));

describe('Snyk webhook', () => {
  it('reads a project_snapshot’s new issues as findings', () => {
    const event = parseSnyk('project_snapshot/v0', snapshot());
    assert.equal(event.kind, 'scan');
    if (event.kind !== 'scan') return;
    assert.equal(event.scan.repository, 'snyk/goof');
    assert.equal(event.scan.origin, 'Snyk project snyk/goof');
    assert.match(event.scan.url ?? '', /^https:\/\/app\.snyk\.io\/org\/.*\/project\/af137b96/);
    assert.deepEqual(event.scan.findings, [
      {
        tool: 'Snyk',
        rule: 'npm:ms:20170412',
        severity: 'low',
        title: 'Regular Expression Denial of Service (ReDoS)',
        package: 'ms',
        version: '1.0.0',
        fixedIn: '2.0.0',
        url: 'https://snyk.io/vuln/npm:ms:20170412',
      },
    ]);
  });

  it('takes `fixedIn` when fixInfo names no version; skips issues without a severity', () => {
    const body = snapshot();
    const issue = body.newIssues[0];
    issue.fixInfo = {};
    issue.issueData.nearestFixedInVersion = undefined;
    issue.fixedIn = ['2.0.0', '1.2.3'];
    body.newIssues.push({ id: 'x', issueData: { id: 'x', severity: 'unknown' } });
    const event = parseSnyk('project_snapshot/v0', body);
    assert.equal(event.kind === 'scan' && event.scan.findings.length, 1);
    assert.equal(event.kind === 'scan' && event.scan.findings[0]?.fixedIn, '2.0.0');
  });

  it('answers a ping, passes over other events, refuses a snapshot without its parts', () => {
    assert.deepEqual(parseSnyk('ping/v0', { webhookId: 'd3cf26b3-2d77-497b-bce2-23b33cc15362' }), {
      kind: 'ping',
    });
    assert.equal(parseSnyk('project_snapshot/v1', snapshot()).kind, 'other');
    assert.equal(parseSnyk(undefined, snapshot()).kind, 'other');
    assert.equal(parseSnyk('project_snapshot/v0', { project: {} }).kind, 'invalid');
    assert.equal(parseSnyk('project_snapshot/v0', { project: { name: 'p' } }).kind, 'invalid');
  });

  it('checks X-Hub-Signature: sha256=<hex HMAC of the raw body>', () => {
    const raw = Buffer.from('{"webhookId":"d3cf26b3"}');
    const signature = signSnykPayload('s3cret', raw);
    assert.match(signature, /^sha256=[0-9a-f]{64}$/);
    assert.deepEqual(verifySnyk('s3cret', raw, signature), { ok: true });
    assert.equal(verifySnyk('other', raw, signature).ok, false);
    assert.equal(verifySnyk('s3cret', Buffer.from('{"webhookId":"x"}'), signature).ok, false);
    assert.equal(verifySnyk('s3cret', raw, signature.replace('sha256=', 'sha1=')).ok, false);
    assert.equal(verifySnyk('s3cret', raw, undefined).ok, false);
    assert.equal(verifySnyk(undefined, raw, signature).ok, false);
  });
});
