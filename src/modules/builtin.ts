/**
 * The one explicit list of the modules deckhand ships with. Adding a chat platform, a CI system,
 * a command family or a store driver is one folder and one line here.
 */
import { sqliteDriver } from '../store/sqlite/index.ts';
import type { DeckhandModules } from './index.ts';

export const builtinModules: DeckhandModules = {
  stores: [sqliteDriver],
};
