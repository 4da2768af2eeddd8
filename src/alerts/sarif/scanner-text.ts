/**
 * The package, installed version and fix version that vulnerability scanners write as text lines in
 * SARIF, since SARIF has no field for them:
 * - Trivy, result message: `Package: libssl1.1\nInstalled Version: 1.1.1c-r0\n…\nFixed Version: 1.1.1d-r0`
 *   (https://github.com/aquasecurity/trivy/blob/main/pkg/report/sarif.go, golden output
 *   integration/testdata/alpine-310.sarif.golden);
 * - Grype, rule help: `Package: package-1\nVersion: 1.1.1\nFix Version: the-next-version`
 *   (https://github.com/anchore/grype/blob/main/grype/presenter/sarif/presenter.go, snapshot
 *   test-fixtures/snapshot/TestSarifPresenter_directory.golden).
 */

/** What one text says about the package; fields it does not name are absent. */
export interface PackageFacts {
  package?: string;
  version?: string;
  fixedIn?: string;
}

const line = (text: string, label: string): string | undefined => {
  const match = new RegExp(`^${label}:[ \\t]*(.*)$`, 'mi').exec(text);
  const value = match?.[1]?.trim();
  return value ? value.slice(0, 200) : undefined;
};

/** The facts in a scanner's text, undefined when it names no package. */
export function packageFacts(text: string | undefined): PackageFacts | undefined {
  if (!text) return undefined;
  const pkg = line(text, 'Package');
  if (!pkg) return undefined;
  const facts: PackageFacts = { package: pkg };
  const version = line(text, 'Installed Version') ?? line(text, 'Version');
  const fixedIn = line(text, 'Fixed Version') ?? line(text, 'Fix Version');
  if (version) facts.version = version;
  if (fixedIn) facts.fixedIn = fixedIn;
  return facts;
}

/**
 * A package URL (https://github.com/package-url/purl-spec), as OWASP Dependency-Check names a
 * result's dependency in `logicalLocations[].fullyQualifiedName` (templates/sarifReport.vsl) and
 * Grype a rule's `properties.purls`: `pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1` is
 * `org.apache.logging.log4j:log4j-core` 2.14.1 (Maven's group:artifact), `pkg:npm/%40babel/core@7.0.0`
 * is `@babel/core`.
 */
export function purlFacts(purl: string | undefined): PackageFacts | undefined {
  const match = /^pkg:([a-z][a-z0-9.+-]*)\/([^?#]+)/i.exec(purl?.trim() ?? '');
  if (!match?.[1] || !match[2]) return undefined;
  const at = match[2].lastIndexOf('@');
  const path = (at > 0 ? match[2].slice(0, at) : match[2]).split('/').filter(Boolean);
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const names = path.map(decode);
  if (names.length === 0) return undefined;
  const name = match[1].toLowerCase() === 'maven' ? names.join(':') : names.join('/');
  const facts: PackageFacts = { package: name.slice(0, 200) };
  if (at > 0) facts.version = decode(match[2].slice(at + 1)).slice(0, 200);
  return facts;
}
