/** The contract of a store driver: the database deckhand keeps its state in. */
import type { LoadedConfig } from '../config/load.ts';
import type { Stores } from '../core/store.ts';

/**
 * Opens the database a config names, brings its schema up to date and returns the stores the
 * core declares. Nothing in the contract assumes one process: a driver for a shared database
 * (several replicas) implements the same stores with the state they could contradict kept in
 * the database, claimed with leases.
 */
export interface StoreDriver {
  /** What `database.driver` names it. */
  readonly name: string;
  open(config: LoadedConfig): Promise<OpenStore>;
}

/** An open database. */
export interface OpenStore {
  stores: Stores;
  /** Whether the database answers (`/readyz`). */
  ping(): Promise<boolean>;
  /** Closes it once every write under way is done. */
  close(): Promise<void>;
}
