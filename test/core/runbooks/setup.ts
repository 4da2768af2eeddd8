/** A runbook executor over a real SQLite store, a recording outbox and scripted pipeline runs. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RunbooksConfig, runbookSecrets, runbooksSchema } from '../../../src/config/runbooks.ts';
import { Redactor } from '../../../src/core/redact.ts';
import { RunbookService } from '../../../src/core/runbooks/executor.ts';
import type { NewOutboxItem, RunRecord } from '../../../src/core/store.ts';
import { createStores } from '../../../src/store/index.ts';
import { openSqlite } from '../../../src/store/sqlite/open.ts';
import { silentLogger } from '../../helpers/recording-sender.ts';

/** A tiny program that appends its arguments (and $VALUE) as one JSON line to the file named first. */
export function argvRecorder(dir: string): string {
  const file = path.join(dir, 'record-argv.cjs');
  writeFileSync(
    file,
    "require('node:fs').appendFileSync(process.argv[2], JSON.stringify({ argv: process.argv.slice(3), value: process.env.VALUE ?? null }) + '\\n');\n",
  );
  return file;
}

export const who = (origin?: string) => ({
  person: { id: 'alice', name: 'Alice', roles: ['sre'], chat: {}, emails: [] },
  platform: 'webchat',
  userId: 'alice',
  channel: 'general',
  origin,
});

export async function executor(runbooks: unknown, options: { fetch?: typeof fetch; env?: string[] } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'deckhand-runbooks-'));
  const db = await openSqlite(':memory:');
  const stores = createStores(db);
  const config: RunbooksConfig = runbooksSchema.parse(runbooks);
  const sent: NewOutboxItem[] = [];
  const redactor = new Redactor(runbookSecrets(config));
  const started: string[] = [];
  const service = new RunbookService({
    runbooks: config,
    store: stores.runbookRuns,
    outbox: {
      enqueue: async (items) => {
        // As the outbox does: nothing queued is unredacted.
        sent.push(...items.map((i) => redactor.redactValue(i)));
      },
    },
    audit: stores.audit,
    runs: {
      start: async (r) => {
        started.push(r.pipeline);
        return { id: 7, status: r.pipeline === 'broken' ? 'failed' : 'succeeded' } as RunRecord;
      },
      get: async () => undefined,
    },
    pipelines: { defaultBranch: () => 'main', timeout: () => 10_000 },
    mention: (id) => `@${id}`,
    logUrl: (id) => `http://deckhand.test/runbooks/${id}/log`,
    runLogUrl: (id) => `http://deckhand.test/runs/${id}/log`,
    clock: { now: () => new Date('2026-12-06T12:00:00Z') },
    logger: silentLogger(),
    redactor,
    fetch: options.fetch,
    pollMs: 5,
  });
  return { dir, db, stores, service, sent, started, config };
}
