/**
 * The SQLite store driver, deckhand's embedded default: one file under the data folder, in WAL
 * mode. The file has one writer, this process; answers to hot reads are kept in memory on that
 * ground (see memo.ts), which a driver for a shared database must not do.
 */
import type { StoreDriver } from '../../modules/store-driver.ts';
import type { Db } from '../db.ts';
import { createStores, ping } from '../index.ts';
import { openSqlite } from './open.ts';

/**
 * A SQLite file has one process: whatever the process before held when it stopped, it holds no
 * more. Intake records go back to the queue at once (their handlers find what they did before).
 * Messages it was sending keep their holder's name, so the outbox knows they may have gone out.
 */
export async function releaseLeases(db: Db): Promise<void> {
  await db
    .updateTable('intake')
    .set({ lease_owner: null, lease_until: null })
    .where('lease_owner', 'is not', null)
    .execute();
  await db.updateTable('outbox').set({ lease_until: '' }).where('lease_owner', 'is not', null).execute();
}

export const sqliteDriver: StoreDriver = {
  name: 'sqlite',
  async open(config) {
    const db = await openSqlite(config.paths.sqlite);
    await releaseLeases(db);
    return {
      stores: createStores(db, { auditKey: config.audit.key }),
      ping: () => ping(db),
      close: () => db.destroy(),
    };
  },
};
