/** What a CI adapter built outside deckhand gets: its updates collected, an in-memory dedupe, a quiet logger. */
import type { CiAdapterContext } from '../../src/ci/adapter.ts';
import type { LoadedConfig } from '../../src/config/load.ts';
import type { ExternalRunUpdate } from '../../src/core/pipeline-events.ts';
import type { DedupeStore } from '../../src/core/store.ts';
import { quietLogger } from './recording-sender.ts';

/** A dedupe store in memory. */
export function memoryDedupe(): DedupeStore {
  const seen = new Set<string>();
  return {
    async claim(source, key) {
      const k = `${source}\u0000${key}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    },
    async prune() {
      return 0;
    },
  };
}

/** The context; `updates` collects what the adapter reports (after `before`, when given). */
export function recordingAdapterContext(
  config: LoadedConfig,
  env: Record<string, string | undefined>,
  before?: (update: ExternalRunUpdate) => Promise<void>,
) {
  const updates: ExternalRunUpdate[] = [];
  const context: CiAdapterContext = {
    config,
    env,
    onUpdate: async (u) => {
      await before?.(u);
      updates.push(u);
    },
    onAlert: async () => undefined,
    dedupe: memoryDedupe(),
    logger: quietLogger,
    clock: { now: () => new Date() },
  };
  return { context, updates };
}
