/** The SQL implementation of the core's stores. */
import type { Stores } from '../core/store.ts';
import { createAuditStore } from './audit-store.ts';
import type { Db } from './db.ts';
import { createDedupeStore } from './dedupe-store.ts';
import { DurableBatch } from './durable-batch.ts';
import { createGateStore } from './gate-store.ts';
import { createInboundUpdateStore } from './inbound-store.ts';
import { createLockStore } from './locks-store.ts';
import { createOutboxStore } from './outbox-store.ts';
import { createDeploymentStore, createRunStore } from './runs-store.ts';

export { type Db, openSqlite, ping } from './db.ts';

export function createStores(db: Db): Stores {
  const durable = new DurableBatch(db);
  return {
    runs: createRunStore(db),
    deployments: createDeploymentStore(db),
    audit: createAuditStore(db, durable),
    outbox: createOutboxStore(db),
    dedupe: createDedupeStore(db, durable),
    locks: createLockStore(db),
    gateRequests: createGateStore(db),
    inboundUpdates: createInboundUpdateStore(db, durable),
  };
}
