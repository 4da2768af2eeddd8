import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { maxFindings, packageFacts, parseSarif, SarifError } from '../../../src/alerts/sarif/index.ts';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../fixtures/sarif/${name}`, import.meta.url), 'utf8')) as unknown;

const log = (run: Record<string, unknown>) => ({ version: '2.1.0', runs: [run] });

describe('SARIF', () => {
  it('reads Trivy’s output: the package, installed and fixed versions from each result’s text', () => {
    const findings = parseSarif(fixture('trivy-alpine-310.sarif.json'));
    assert.equal(findings.length, 4);
    assert.deepEqual(findings[0], {
      tool: 'Trivy',
      rule: 'CVE-2019-1549',
      // security-severity 5.3 is medium, as GitHub reads it.
      severity: 'medium',
      title: 'openssl: information disclosure in fork()',
      package: 'libcrypto1.1',
      version: '1.1.1c-r0',
      fixedIn: '1.1.1d-r0',
      file: 'testdata/fixtures/images/alpine-310.tar.gz',
      line: 1,
      url: 'https://avd.aquasec.com/nvd/cve-2019-1549',
    });
    assert.deepEqual(
      findings.map((f) => `${f.rule} ${f.package} ${f.fixedIn}`),
      [
        'CVE-2019-1549 libcrypto1.1 1.1.1d-r0',
        'CVE-2019-1551 libcrypto1.1 1.1.1d-r2',
        'CVE-2019-1549 libssl1.1 1.1.1d-r0',
        'CVE-2019-1551 libssl1.1 1.1.1d-r2',
      ],
    );
  });

  it('reads Grype’s output: the package from the rule’s help, its fingerprint, no fix when it names none', () => {
    const [first, second] = parseSarif(fixture('grype-directory.sarif.json'));
    assert.equal(first?.tool, 'grype');
    assert.equal(first?.severity, 'medium', 'security-severity 4.0');
    assert.deepEqual(
      [first?.package, first?.version, first?.fixedIn],
      ['package-1', '1.1.1', 'the-next-version'],
    );
    assert.match(first?.fingerprint ?? '', /^primaryLocationLineHash=0eefd39/);
    assert.equal(second?.severity, 'low', 'security-severity 1.0');
    assert.equal(second?.package, 'package-2');
    assert.equal(second?.fixedIn, undefined, '"Fix Version: " is empty');
  });

  it('reads CodeQL’s output: a file named by the run’s artifacts index, each result its own fingerprint', () => {
    const findings = parseSarif(fixture('codeql-fingerprinting.sarif.json'));
    assert.deepEqual(
      findings.map((f) => [f.tool, f.rule, f.severity, f.title, f.file, f.line, f.fingerprint]),
      [
        [
          'CodeQL command-line toolchain',
          'js/unused-local-variable',
          // No rule, no level: SARIF's default level, warning.
          'medium',
          'Unused variable a.',
          'testFile1.js',
          1,
          'primaryLocationLineHash=5e4d5a9cf1294ad9:1',
        ],
        [
          'CodeQL command-line toolchain',
          'js/unused-local-variable',
          'medium',
          'Unused variable bar.',
          'testFile2.js',
          2,
          'primaryLocationLineHash=f7592a95a9381ac0:1',
        ],
      ],
    );
  });

  it('maps CVSS scores at GitHub’s bounds', () => {
    const severities = ['9.0', '8.9', '7.0', '6.9', '4.0', '3.9', 'n/a'].map((score) => {
      const [f] = parseSarif(
        log({
          tool: { driver: { name: 't', rules: [{ id: 'r', properties: { 'security-severity': score } }] } },
          results: [{ ruleId: 'r', level: 'note', message: { text: 'x' } }],
        }),
      );
      return f?.severity;
    });
    assert.deepEqual(severities, ['critical', 'high', 'high', 'medium', 'medium', 'low', 'low']);
  });

  it('without a security severity, reads the level: the result’s, the rule’s default, else warning', () => {
    const findings = parseSarif(
      log({
        tool: {
          driver: {
            name: 'Semgrep',
            rules: [{ id: 'a', defaultConfiguration: { level: 'error' } }, { id: 'b' }],
          },
        },
        results: [
          { ruleId: 'a', message: { text: 'Detected XSS\nmore' }, locations: [] },
          { ruleId: 'b', message: { text: 'b' } },
          { ruleId: 'b', level: 'note', message: { text: 'c' } },
        ],
      }),
    );
    assert.deepEqual(
      findings.map((f) => [f.severity, f.title]),
      [
        ['high', 'Detected XSS'],
        ['medium', 'b'],
        ['low', 'c'],
      ],
    );
  });

  it('finds a rule in a tool extension (CodeQL) and the file and line of a code finding', () => {
    const [f] = parseSarif(
      log({
        tool: {
          driver: { name: 'CodeQL', rules: [] },
          extensions: [
            {
              name: 'codeql/javascript-queries',
              rules: [{ id: 'js/sql-injection', properties: { 'security-severity': '8.8' } }],
            },
          ],
        },
        results: [
          {
            ruleId: 'js/sql-injection',
            rule: { id: 'js/sql-injection', index: 0, toolComponent: { index: 0 } },
            message: { text: 'This query depends on a user-provided value.' },
            locations: [
              { physicalLocation: { artifactLocation: { uri: 'src/db.js' }, region: { startLine: 42 } } },
            ],
            partialFingerprints: {
              primaryLocationLineHash: 'abc:1',
              primaryLocationStartColumnFingerprint: '4',
            },
          },
        ],
      }),
    );
    assert.deepEqual(
      [f?.tool, f?.severity, f?.file, f?.line, f?.package, f?.fingerprint],
      [
        'CodeQL',
        'high',
        'src/db.js',
        42,
        undefined,
        'primaryLocationLineHash=abc:1,primaryLocationStartColumnFingerprint=4',
      ],
    );
  });

  it('leaves out results fixed since the baseline and accepted suppressions', () => {
    const findings = parseSarif(
      log({
        tool: { driver: { name: 't' } },
        results: [
          { ruleId: 'gone', baselineState: 'absent', message: { text: 'x' } },
          { ruleId: 'waived', suppressions: [{ kind: 'inSource' }], message: { text: 'x' } },
          {
            ruleId: 'pending',
            suppressions: [{ kind: 'external', status: 'underReview' }],
            message: { text: 'x' },
          },
        ],
      }),
    );
    assert.deepEqual(
      findings.map((f) => f.rule),
      ['pending'],
    );
  });

  it('refuses what is not SARIF 2.1.0, and a log past the bound', () => {
    assert.throws(() => parseSarif({ version: '2.0.0', runs: [] }), SarifError);
    assert.throws(() => parseSarif({ version: '2.1.0' }), /no "runs" array/);
    assert.throws(() => parseSarif('text'), SarifError);
    const results = Array.from({ length: maxFindings + 1 }, () => ({ ruleId: 'r', message: { text: 'x' } }));
    assert.throws(
      () => parseSarif(log({ tool: { driver: { name: 't' } }, results })),
      /more than 10000 results/,
    );
  });

  it('reads the package lines scanners write, and nothing from other text', () => {
    assert.deepEqual(packageFacts('Package: lodash\nInstalled Version: 4.17.4\nFixed Version: 4.17.21'), {
      package: 'lodash',
      version: '4.17.4',
      fixedIn: '4.17.21',
    });
    assert.equal(packageFacts('Detected a package: lodash in code'), undefined);
    assert.equal(packageFacts(undefined), undefined);
  });
});
