/** The files of the demo repository: POSIX sh scripts that print progress and write reports. */

/** `scripts/install.sh`: pretends to install dependencies. */
export const installScript = `#!/bin/sh
# Pretends to install dependencies.
set -eu
printf 'Resolving dependencies for demo-app %s\\n' "$(cat VERSION)"
sleep 0.3
echo "Fetching 12 packages"
sleep 0.3
echo "Dependencies installed"
`;

/** `scripts/build.sh`: prints the version and commit and bundles src/ into dist/. */
export const buildScript = `#!/bin/sh
# Builds dist/app.bundle from src/.
set -eu
version=$(cat VERSION)
commit=\${DECKHAND_COMMIT:-$(git rev-parse HEAD 2>/dev/null || echo unknown)}
printf 'Building demo-app %s\\n' "$version"
printf 'Commit %s\\n' "$(printf %s "$commit" | cut -c1-12)"
sleep 0.3
echo "Compiling $(ls src | wc -l | tr -d ' ') modules"
sleep 0.3
mkdir -p dist
cat src/*.conf > dist/app.bundle
echo "Build complete: dist/app.bundle"
`;

/** `scripts/test.sh`: runs the `unit` or `integration` suite and writes reports/<suite>.xml. */
export const testScript = `#!/bin/sh
# Runs the suite named by DECKHAND_SUITE (default unit) and writes a JUnit report.
set -u
suite=\${DECKHAND_SUITE:-unit}
case "$suite" in
  unit|integration) ;;
  *) printf "Unknown test suite '%s'; use unit or integration.\\n" "$suite" >&2; exit 2 ;;
esac
total=0
failed=0
cases=''
pass() {
  total=$((total + 1))
  echo "  ok    $1"
  cases="$cases    <testcase classname=\\"$suite\\" name=\\"$1\\" time=\\"0.3\\"/>
"
}
fail() {
  total=$((total + 1))
  failed=$((failed + 1))
  echo "  FAIL  $1: $2"
  cases="$cases    <testcase classname=\\"$suite\\" name=\\"$1\\" time=\\"0.3\\"><failure message=\\"$2\\">$2</failure></testcase>
"
}
echo "Running $suite tests"
if [ "$suite" = unit ]; then
  sleep 0.3; if grep -q '^total=sum' src/cart.conf; then pass 'cart totals'; else fail 'cart totals' 'cart total is not the sum of its items'; fi
  sleep 0.3; pass 'price formatting'
  sleep 0.3; if grep -Eq '^[0-9]+[.][0-9]+[.][0-9]+$' VERSION; then pass 'version string'; else fail 'version string' 'VERSION is not x.y.z'; fi
else
  sleep 0.3; pass 'login flow'
  sleep 0.3; if grep -q '^payment_step=enabled$' src/checkout.conf; then pass 'checkout flow'; else fail 'checkout flow' 'expected a payment step after the cart, found none'; fi
  sleep 0.3; pass 'order history'
fi
mkdir -p reports
{
  echo '<?xml version="1.0" encoding="UTF-8"?>'
  echo "<testsuite name=\\"$suite\\" tests=\\"$total\\" failures=\\"$failed\\">"
  printf '%s' "$cases"
  echo '</testsuite>'
} > "reports/$suite.xml"
echo "$suite: $total tests, $failed failed"
[ "$failed" -eq 0 ] || exit 1
`;

/** `scripts/deploy.sh`: records the deployed version under the data folder. */
export const deployScript = `#!/bin/sh
# Deploys DECKHAND_VERSION (or the commit) to DECKHAND_ENVIRONMENT.
set -eu
env=\${DECKHAND_ENVIRONMENT:-}
case "$env" in
  ''|*/*|*..*) printf "Refusing to deploy: invalid environment name '%s'.\\n" "$env" >&2; exit 2 ;;
esac
data=\${DECKHAND_DATA_DIR:-}
if [ -z "$data" ]; then echo "DECKHAND_DATA_DIR is not set." >&2; exit 2; fi
version=\${DECKHAND_VERSION:-}
if [ -z "$version" ]; then version=\${DECKHAND_COMMIT:-$(git rev-parse HEAD)}; fi
printf 'Deploying %s to %s\\n' "$version" "$env"
sleep 0.3; echo "Uploading artifacts"
sleep 0.3; echo "Running migrations"
sleep 0.3; echo "Switching traffic"
sleep 0.3; echo "Health checks passed"
sleep 0.3
mkdir -p "$data/environments/$env"
printf '%s\\n' "$version" > "$data/environments/$env/VERSION"
printf 'Deployed %s to %s\\n' "$version" "$env"
`;

/** `README.md` of the demo repository. */
export const demoReadme = `# demo-app

A tiny repository for trying deckhand. Its scripts only print progress and write files:

- \`scripts/install.sh\`, \`scripts/build.sh\`
- \`scripts/test.sh\` (\`DECKHAND_SUITE\`: unit or integration; writes \`reports/<suite>.xml\`)
- \`scripts/deploy.sh\` (\`DECKHAND_VERSION\`, \`DECKHAND_ENVIRONMENT\`)
`;
