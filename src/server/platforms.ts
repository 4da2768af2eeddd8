/** The chat platforms a config runs, built from their modules, and where configured channels live on them. */
import type { LoadedConfig } from '../config/load.ts';
import type { Intake } from '../core/intake.ts';
import type { ChannelAddresses } from '../core/notify/notifier.ts';
import type { Clock } from '../core/ports.ts';
import type { Stores } from '../core/store.ts';
import type { Env, ModuleLogger } from '../modules/common.ts';
import type { ChatPlatform, ChatPlatformModule, FamilyShape } from '../modules/index.ts';

export interface PlatformDeps {
  config: LoadedConfig;
  env: Env;
  intake: Intake;
  stores: Pick<Stores, 'dedupe' | 'transcript' | 'conversations' | 'deferredAnswers'>;
  roots: readonly string[];
  families: readonly FamilyShape[];
  logger: ModuleLogger & { child(bindings: object): ModuleLogger };
  clock: Clock;
}

/** The enabled modules, each with its running platform, by name. */
export async function createPlatforms(
  modules: readonly ChatPlatformModule<never>[],
  deps: PlatformDeps,
): Promise<Map<string, { module: ChatPlatformModule<unknown>; platform: ChatPlatform }>> {
  const running = new Map<string, { module: ChatPlatformModule<unknown>; platform: ChatPlatform }>();
  for (const m of modules as readonly ChatPlatformModule<unknown>[]) {
    const section = deps.config.sections[m.name];
    if (!m.enabled(section)) continue;
    if (running.has(m.name)) throw new Error(`Two chat platform modules are named "${m.name}".`);
    const platform = await m.create({
      ...deps,
      section,
      logger: deps.logger.child({ component: m.name }),
    });
    running.set(m.name, { module: m, platform });
  }
  return running;
}

/** Where a configured channel lives on each running platform: its address there, or its id where the platform names channels by id. */
export function channelAddresses(
  config: Pick<LoadedConfig, 'channels'>,
  platforms: readonly Pick<ChatPlatformModule<unknown>, 'name' | 'channelsById'>[],
): ChannelAddresses {
  return (channelId) =>
    platforms.flatMap((m) => {
      const address = config.channels[channelId]?.[m.name] ?? (m.channelsById ? channelId : undefined);
      return address ? [{ platform: m.name, channel: address }] : [];
    });
}
