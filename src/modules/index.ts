/** The four kinds of module deckhand is assembled from, and the list type `createDeckhand` takes. */
import type { StoreDriver } from './store-driver.ts';

export type { OpenStore, StoreDriver } from './store-driver.ts';

/** Everything one process can be built from; the config chooses what runs. */
export interface DeckhandModules {
  /** Databases; `database.driver` picks one (default `sqlite`). */
  stores: readonly StoreDriver[];
}

/** Opens the database the config names, through its driver. */
export async function openStore(
  config: { database: { driver: string } } & Parameters<StoreDriver['open']>[0],
  modules: Pick<DeckhandModules, 'stores'>,
) {
  const driver = modules.stores.find((d) => d.name === config.database.driver);
  if (!driver) {
    const known = modules.stores.map((d) => d.name).join(', ');
    throw new Error(`database.driver "${config.database.driver}" is not known here; drivers: ${known}.`);
  }
  return driver.open(config);
}
