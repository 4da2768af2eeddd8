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
