import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createLocalRunner, type LocalRunner } from '../../../src/ci/local/index.ts';
import type { Scan } from '../../../src/core/security/findings.ts';
import { demoConfig, EventLog, tempDir } from './helpers.ts';

const trivy = fileURLToPath(new URL('../../fixtures/sarif/trivy-alpine-310.sarif.json', import.meta.url));

const pipelines = `
  scan:
    repository: app
    timeout: 1m
    sarif: ['out/**/*.sarif', 'missing/*.sarif']
    env: { TRIVY_FIXTURE: '${trivy}' }
    steps:
      - name: scan
        run: |
          mkdir -p out/deep
          cp "$TRIVY_FIXTURE" out/deep/trivy.sarif
          printf '{"version":"2.1.0","runs":[' > out/broken.sarif
`;

describe('local runner SARIF logs', () => {
  const tmp = tempDir();
  const config = demoConfig(tmp.dir, pipelines);
  const log = new EventLog();
  const warnings: object[] = [];
  const order: string[] = [];
  const scans: Scan[] = [];
  let runner: LocalRunner;
  before(() => {
    runner = createLocalRunner({
      config,
      emit: (event) => {
        order.push(event.type);
        log.sink(event);
      },
      logger: { info: () => undefined, warn: (obj) => warnings.push(obj) },
      onScan: async (scan) => {
        order.push('scan');
        scans.push(scan);
      },
    });
  });
  after(async () => {
    await runner.close?.();
    tmp.cleanup();
  });

  test('reads the logs the steps wrote, skips an unreadable one, and hands the findings over before the run ends', async () => {
    await runner.trigger({ runId: 1, kind: 'build', pipeline: 'scan', ref: 'main', params: {} });
    assert.equal((await log.finished(1)).status, 'succeeded');
    assert.equal(scans.length, 1);
    assert.equal(scans[0]?.repository, 'app');
    assert.equal(scans[0]?.origin, 'run #1 (scan on main)');
    assert.equal(scans[0]?.findings.length, 4);
    assert.equal(scans[0]?.findings[0]?.fixedIn, '1.1.1d-r0');
    assert.deepEqual(order.slice(-2), ['scan', 'run.finished']);
    assert.ok(warnings.some((w) => (w as { file?: string }).file === 'out/broken.sarif'));
  });

  test('a pipeline without sarif globs hands nothing over', async () => {
    await runner.trigger({ runId: 2, kind: 'build', pipeline: 'build', ref: 'main', params: {} });
    assert.equal((await log.finished(2)).status, 'succeeded');
    assert.equal(scans.length, 1);
  });
});
