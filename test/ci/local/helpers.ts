/** Shared helpers for the local runner tests: temp configs, event recording, polling. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoadedConfig } from '../../../src/config/load.ts';
import type { PipelineEvent } from '../../../src/core/pipeline-events.ts';
import { parseConfig } from '../../helpers/config.ts';

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'deckhand-local-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A config with the demo repository, `extraPipelines` (YAML under pipelines) and `runner` lines. */
export function demoConfig(dir: string, extraPipelines = '', runner = '  concurrency: 2'): LoadedConfig {
  const yaml = `
database: { dataDir: data }
repositories:
  app: { url: demo-repo, defaultBranch: main, seedDemo: true }
pipelines:
  build:
    repository: app
    timeout: 1m
    steps:
      - { name: install, run: ./scripts/install.sh }
      - { name: compile, run: ./scripts/build.sh }
  test:
    repository: app
    timeout: 1m
    junit: [reports/*.xml]
    steps:
      - { name: prepare, run: ./scripts/install.sh }
      - { name: test, run: ./scripts/test.sh }
  deploy:
    repository: app
    timeout: 1m
    steps:
      - { name: package, run: ./scripts/build.sh }
      - { name: release, run: ./scripts/deploy.sh }
${extraPipelines}
runner:
${runner}
`;
  return parseConfig(yaml, path.join(dir, 'deckhand.yaml'), {});
}

/** Records events and waits for them. */
export class EventLog {
  readonly events: PipelineEvent[] = [];
  readonly sink = (event: PipelineEvent): void => {
    this.events.push(event);
  };

  of(runId: number): PipelineEvent[] {
    return this.events.filter((e) => e.runId === runId);
  }

  /** Resolves with the run.finished event of `runId`, failing after `timeoutMs`. */
  async finished(
    runId: number,
    timeoutMs = 20_000,
  ): Promise<Extract<PipelineEvent, { type: 'run.finished' }>> {
    const event = await waitFor(() => this.of(runId).find((e) => e.type === 'run.finished'), timeoutMs);
    return event as Extract<PipelineEvent, { type: 'run.finished' }>;
  }
}

/** Polls `probe` until it returns a value, or throws after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
