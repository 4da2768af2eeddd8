import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from '../../src/core/messages.ts';
import { toPlainText } from '../../src/core/messages.ts';
import {
  type Finding,
  fingerprintOf,
  readScan,
  type Scan,
  severityOfScore,
} from '../../src/core/security/findings.ts';
import { findingLine } from '../../src/core/security/message.ts';
import { SecurityFindings, type Target } from '../../src/core/security/service.ts';

const clock = { now: () => new Date('2026-12-01T10:00:00Z') };

function setup(
  over: { minSeverity?: 'low' | 'high'; targets?: Target[]; maxListed?: number; failClaims?: boolean } = {},
) {
  const claimed = new Set<string>();
  const posts: { to: Target; message: Message; key: string }[] = [];
  const service = new SecurityFindings({
    dedupe: {
      claim: async (source, key) => {
        const k = `${source}:${key}`;
        if (over.failClaims) throw new Error('crashed before the claim');
        if (claimed.has(k)) return false;
        claimed.add(k);
        return true;
      },
      known: async (source, keys) => new Set(keys.filter((k) => claimed.has(`${source}:${k}`))),
    },
    clock,
    minSeverity: over.minSeverity ?? 'high',
    maxListed: over.maxListed ?? 10,
    targets: () => over.targets ?? [{ platform: 'webchat', channel: 'security' }],
    post: async (to, message, key) => {
      posts.push({ to, message, key });
    },
  });
  return { service, posts, claimed };
}

const vuln = (over: Partial<Finding> = {}): Finding => ({
  tool: 'Trivy',
  rule: 'CVE-2021-44228',
  severity: 'critical',
  title: 'log4j-core: Remote code injection in Log4j',
  package: 'org.apache.logging.log4j:log4j-core',
  version: '2.14.1',
  fixedIn: '2.15.0',
  ...over,
});
const scan = (findings: Finding[], over: Partial<Scan> = {}): Scan => ({
  repository: 'org/app',
  origin: 'run #12 (build on main)',
  findings,
  ...over,
});

describe('security findings', () => {
  it('a crash between the message and the claims tells the same findings again under the same key', async () => {
    const crashing = setup({ failClaims: true });
    await assert.rejects(crashing.service.report(scan([vuln()])), /crashed before the claim/);
    const { service, posts } = setup();
    await service.report(scan([vuln()]));
    assert.equal(posts.length, 1);
    assert.equal(posts[0]?.key, crashing.posts[0]?.key, 'the outbox queues a key once');
    assert.equal((await service.report(scan([vuln()]))).told, 0, 'claimed once told');
  });

  it('tells the findings at or above the threshold in one message naming the run, package and fix', async () => {
    const { service, posts } = setup();
    const report = await service.report(
      scan([
        vuln(),
        vuln({ rule: 'CVE-2022-0001', severity: 'high', fixedIn: undefined }),
        vuln({ rule: 'CVE-low', severity: 'medium' }),
      ]),
    );
    assert.deepEqual(report, { told: 2, repeated: 0, below: 1 });
    assert.equal(posts.length, 1);
    const text = toPlainText(posts[0]?.message ?? {});
    assert.match(text, /Security findings in org\/app: 2 new \(1 critical, 1 high\)/);
    assert.match(
      text,
      /critical CVE-2021-44228 in org\.apache\.logging\.log4j:log4j-core 2\.14\.1, fixed in 2\.15\.0/,
    );
    assert.match(text, /high CVE-2022-0001 in .* 2\.14\.1, no fix yet/);
    assert.doesNotMatch(text, /CVE-low/);
    assert.match(text, /From: run #12 \(build on main\)/);
    assert.equal(posts[0]?.message.status, 'error');
  });

  it('does not tell a finding again, in the next run or a repeated delivery', async () => {
    const { service, posts } = setup();
    await service.report(scan([vuln()]));
    assert.deepEqual(await service.report(scan([vuln()], { origin: 'run #13 (build on main)' })), {
      told: 0,
      repeated: 1,
      below: 0,
    });
    const next = await service.report(scan([vuln(), vuln({ rule: 'CVE-2099-1' })], { origin: 'run #14' }));
    assert.equal(next.told, 1);
    assert.equal(posts.length, 2);
    assert.match(toPlainText(posts[1]?.message ?? {}), /1 new \(1 critical\)[\s\S]*CVE-2099-1/);
  });

  it('the same finding in another repository is another finding', async () => {
    const { service, posts } = setup();
    await service.report(scan([vuln()]));
    await service.report(scan([vuln()], { repository: 'org/other' }));
    assert.equal(posts.length, 2);
  });

  it('lists a bounded number, worst first, then "and N more"', async () => {
    const { service, posts } = setup({ maxListed: 3, minSeverity: 'low' });
    const many = Array.from({ length: 7 }, (_, i) =>
      vuln({ rule: `CVE-${i}`, severity: i === 6 ? 'critical' : 'low' }),
    );
    await service.report(scan(many));
    const text = posts[0]?.message.text ?? '';
    assert.equal(text.split('\n').length, 4);
    assert.match(text, /^• critical CVE-6/);
    assert.match(text, /…and 4 more$/);
  });

  it('with no channel routed for security, claims nothing, so a channel added later still hears', async () => {
    const { service, claimed } = setup({ targets: [] });
    assert.deepEqual(await service.report(scan([vuln()])), { told: 0, repeated: 0, below: 0 });
    assert.equal(claimed.size, 0);
  });

  it('posts to every routed channel', async () => {
    const targets = [
      { platform: 'slack', channel: 'C1' },
      { platform: 'webchat', channel: 'security' },
    ];
    const { service, posts } = setup({ targets });
    await service.report(scan([vuln()], { url: 'https://ci.example.com/runs/12' }));
    assert.deepEqual(
      posts.map((p) => p.to),
      targets,
    );
    assert.deepEqual(posts[0]?.message.link, { label: 'Source', url: 'https://ci.example.com/runs/12' });
  });

  it('fingerprints prefer the scanner’s own id, then the package and version, then the file and line', () => {
    const a = fingerprintOf('org/app', vuln());
    assert.equal(fingerprintOf('org/app', vuln({ title: 'other words' })), a);
    assert.notEqual(fingerprintOf('org/app', vuln({ version: '2.14.2' })), a);
    const code: Finding = {
      tool: 'Semgrep',
      rule: 'xss',
      severity: 'high',
      title: 'x',
      file: 'a.js',
      line: 3,
    };
    assert.notEqual(fingerprintOf('org/app', code), fingerprintOf('org/app', { ...code, line: 4 }));
    assert.equal(
      fingerprintOf('org/app', { ...code, fingerprint: 'h=1' }),
      fingerprintOf('org/app', { ...code, line: 9, fingerprint: 'h=1' }),
      'a moved line with the same fingerprint is the same finding',
    );
    assert.notEqual(
      fingerprintOf('org/app', { ...code, fingerprint: 'h=1' }),
      fingerprintOf('org/app', { ...code, file: 'b.js', fingerprint: 'h=1' }),
      'the same fingerprint in another file is another finding',
    );
  });

  it('maps CVSS scores as GitHub does, and describes code findings by file and line', () => {
    assert.deepEqual([9.8, 7, 6.9, 0.1].map(severityOfScore), ['critical', 'high', 'medium', 'low']);
    assert.equal(
      findingLine({
        tool: 'Semgrep',
        rule: 'xss',
        severity: 'high',
        title: 'Detected XSS',
        file: 'a.js',
        line: 3,
      }),
      'high xss at a.js:3: Detected XSS (Semgrep)',
    );
  });

  it('reads back a recorded scan, dropping what is not a finding', () => {
    const back = readScan(JSON.parse(JSON.stringify(scan([vuln(), { tool: 'x' } as unknown as Finding]))));
    assert.equal(back?.findings.length, 1);
    assert.deepEqual(back?.findings[0], vuln());
    assert.equal(readScan({ repository: 'r' }), undefined);
    assert.equal(readScan(null), undefined);
  });
});
