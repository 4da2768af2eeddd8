/** The four kinds of module deckhand is assembled from, and what the config learns from them. */
import type { ConfigExtensions } from '../config/extensions.ts';
import type { CommandFamily } from '../core/family.ts';
import type { ChatPlatformModule } from './chat-platform.ts';
import type { CiSystemModule } from './ci-system.ts';
import type { StoreDriver } from './store-driver.ts';

export type {
  ChatPlatform,
  ChatPlatformContext,
  ChatPlatformModule,
  CliContext,
  CommandShape,
  FamilyShape,
} from './chat-platform.ts';
export { familyShapes } from './chat-platform.ts';
export type { CiSystem, CiSystemContext, CiSystemFactory, CiSystemModule } from './ci-system.ts';
export type { Connection } from './connection.ts';
export type { OpenStore, StoreDriver } from './store-driver.ts';

/** Everything one process can be built from; the config chooses what runs. */
export interface DeckhandModules {
  /** Chat platforms; each runs when its section enables it. */
  chat: readonly ChatPlatformModule<never>[];
  /** CI systems; each runs when a pipeline or `providers:` names it. */
  ci: readonly CiSystemModule[];
  /** Command families, the first being the default (`/ci`). */
  commands: readonly CommandFamily[];
  /** Databases; `database.driver` picks one (default `sqlite`). */
  stores: readonly StoreDriver[];
}

/** What the modules add to deckhand.yaml. */
export function configExtensions(modules: DeckhandModules): ConfigExtensions {
  const chat = modules.chat as readonly ChatPlatformModule<unknown>[];
  const commands = modules.commands.flatMap((f) => f.commands);
  return {
    sections: Object.fromEntries(chat.flatMap((m) => (m.config ? [[m.name, m.config.schema]] : []))),
    ci: Object.fromEntries(modules.ci.map((m) => [m.name, m.config ?? {}])),
    commands: {
      names: [...new Set(commands.map((c) => c.name))],
      changing: [...new Set(commands.filter((c) => c.touches).map((c) => c.name))],
      reading: [...new Set(commands.filter((c) => c.readOnly).map((c) => c.name))],
      families: Object.fromEntries(
        modules.commands.map((f) => [f.root, [...f.commands.map((c) => c.name), 'help']]),
      ),
    },
    checks: [
      ...chat.flatMap((m) => {
        const check = m.config?.check;
        return check
          ? [
              (config: Parameters<typeof check>[1], issue: Parameters<typeof check>[2]) =>
                check((config as unknown as Record<string, unknown>)[m.name], config, issue),
            ]
          : [];
      }),
      ...modules.ci.flatMap((m) => (m.config?.check ? [m.config.check] : [])),
    ],
  };
}

/** Opens the database the config names, through its driver. */
export async function openStore(
  config: Parameters<StoreDriver['open']>[0],
  modules: Pick<DeckhandModules, 'stores'>,
) {
  const driver = modules.stores.find((d) => d.name === config.database.driver);
  if (!driver) {
    const known = modules.stores.map((d) => d.name).join(', ');
    throw new Error(`database.driver "${config.database.driver}" is not known here; drivers: ${known}.`);
  }
  return driver.open(config);
}
