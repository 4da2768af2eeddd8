/**
 * The SQLite store driver, deckhand's embedded default: one file under the data folder, in WAL
 * mode. The file has one writer, this process; answers to hot reads are kept in memory on that
 * ground (see memo.ts), which a driver for a shared database must not do.
 */
import type { StoreDriver } from '../../modules/store-driver.ts';
import { createStores, ping } from '../index.ts';
import { openSqlite } from './open.ts';

export const sqliteDriver: StoreDriver = {
  name: 'sqlite',
  async open(config) {
    const db = await openSqlite(config.paths.sqlite);
    return {
      stores: createStores(db),
      ping: () => ping(db),
      close: () => db.destroy(),
    };
  },
};
