import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  maxFindings,
  packageFacts,
  parseSarif,
  purlFacts,
  SarifError,
} from '../../../src/alerts/sarif/index.ts';
import { fingerprintOf } from '../../../src/core/security/findings.ts';

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

  it('reads Dependency-Check’s shape: the dependency from its package URL, one finding per dependency', () => {
    // Shaped as Dependency-Check's SARIF template writes a CVE found in two jars: the fingerprint is
    // the vulnerability's MD5 alone, the dependency is the location and its logical location's purl
    // (https://github.com/jeremylong/DependencyCheck/blob/main/core/src/main/resources/templates/sarifReport.vsl).
    const result = (jar: string, purl: string) => ({
      ruleId: 'CVE-2021-44228',
      level: 'warning',
      message: {
        text: 'CVE-2021-44228 - Apache Log4j2 JNDI features do not protect against attacker controlled LDAP',
      },
      partialFingerprints: { vulnerabilityHash: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: jar, index: 0 } },
          logicalLocations: [{ fullyQualifiedName: purl }],
        },
      ],
    });
    const findings = parseSarif(
      log({
        tool: {
          driver: {
            name: 'dependency-check',
            rules: [
              {
                id: 'CVE-2021-44228',
                properties: { cvssv3_baseScore: 10, 'security-severity': 10, source: 'NVD' },
              },
            ],
          },
        },
        results: [
          result('/app/lib/log4j-core-2.14.1.jar', 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1'),
          result(
            '/app/plugins/log4j-core-2.14.0.jar',
            'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.0',
          ),
        ],
      }),
    );
    assert.deepEqual(
      findings.map((f) => [f.severity, f.package, f.version, f.fixedIn]),
      [
        ['critical', 'org.apache.logging.log4j:log4j-core', '2.14.1', undefined],
        ['critical', 'org.apache.logging.log4j:log4j-core', '2.14.0', undefined],
      ],
    );
    const [a, b] = findings.map((f) => fingerprintOf('org/app', f));
    assert.notEqual(a, b, 'the same CVE in two jars is two findings');
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

  it('leaves out results that are no problem, fixed since the baseline, or accepted suppressions', () => {
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
          { ruleId: 'passed', kind: 'pass', message: { text: 'x' } },
          { ruleId: 'n/a', kind: 'notApplicable', message: { text: 'x' } },
          { ruleId: 'failed', kind: 'fail', message: { text: 'x' } },
        ],
      }),
    );
    assert.deepEqual(
      findings.map((f) => f.rule),
      ['pending', 'failed'],
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
    assert.deepEqual(purlFacts('pkg:npm/%40babel/core@7.0.0?arch=x#sub'), {
      package: '@babel/core',
      version: '7.0.0',
    });
    assert.deepEqual(purlFacts('pkg:deb/debian/openssl'), { package: 'debian/openssl' });
    assert.equal(purlFacts('cpe:2.3:a:apache:log4j:2.14.1'), undefined);
    assert.equal(packageFacts(undefined), undefined);
  });
});
