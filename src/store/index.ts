/** The SQL implementation of the core's stores, over any Kysely dialect a store driver opens. */
import type { Stores } from '../core/store.ts';
import { createAuditQueries } from './audit-queries.ts';
import { createAuditStore } from './audit-store.ts';
import { createConversationStore } from './conversation-store.ts';
import type { Db } from './db.ts';
import { createDedupeStore } from './dedupe-store.ts';
import { createDeferredAnswerStore } from './deferred-store.ts';
import { DurableBatch } from './durable-batch.ts';
import { createGateStore } from './gate-store.ts';
import { createIncidentStore } from './incident-store.ts';
import { createIntakeStore } from './intake-store.ts';
import { createLockStore } from './locks-store.ts';
import { createOutboxStore } from './outbox-store.ts';
import { createRunbookStore } from './runbook-store.ts';
import { createDeploymentStore, createRunStore } from './runs-store.ts';
import { createTranscriptStore } from './transcript-store.ts';

export { type Db, migrate, ping } from './db.ts';

export interface StoreOptions {
  /** The audit chain's key (HMAC-SHA-256), kept outside the database. */
  auditKey?: string;
}

export function createStores(db: Db, options: StoreOptions = {}): Stores {
  const durable = new DurableBatch(db);
  const queries = createAuditQueries(db);
  return {
    runs: createRunStore(db),
    deployments: createDeploymentStore(db),
    audit: createAuditStore(db, durable, options.auditKey),
    outbox: createOutboxStore(db),
    dedupe: createDedupeStore(db, durable),
    locks: createLockStore(db),
    gateRequests: createGateStore(db),
    intake: createIntakeStore(db, durable),
    auditLog: queries,
    usageStats: queries,
    transcript: createTranscriptStore(db),
    conversations: createConversationStore(db, durable),
    deferredAnswers: createDeferredAnswerStore(db),
    runbookRuns: createRunbookStore(db),
    incidentStore: createIncidentStore(db),
  };
}
