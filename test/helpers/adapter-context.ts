/** What a CI adapter built outside deckhand gets: its updates collected, an in-memory dedupe, a quiet logger. */

import type { LoadedConfig } from '../../src/config/load.ts';
import type { Intake } from '../../src/core/intake.ts';
import type { ExternalRunUpdate } from '../../src/core/pipeline-events.ts';
import { Redactor } from '../../src/core/redact.ts';
import type { DedupeStore } from '../../src/core/store.ts';
import type { CiSystemContext } from '../../src/modules/ci-system.ts';
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
    async known(source, keys) {
      return new Set(keys.filter((key) => seen.has(`${source}\u0000${key}`)));
    },
    async prune() {
      return 0;
    },
  };
}

/**
 * An intake in memory: a record goes through JSON (as it would to disk and back) and reaches its
 * handler right after it resolves, one key's records in order. Handler errors land in `errors`.
 */
export function memoryIntake(
  dedupe: DedupeStore = memoryDedupe(),
): Pick<Intake, 'record' | 'handle'> & { errors: unknown[] } {
  const handlers = new Map<string, (data: unknown) => Promise<void>>();
  const chains = new Map<string, Promise<void>>();
  const errors: unknown[] = [];
  return {
    errors,
    async record(source, { key, data }, options = {}) {
      if (options.once && !(await dedupe.claim(`${source}-delivery`, options.once, new Date()))) return false;
      const read = JSON.parse(JSON.stringify(data)) as unknown;
      const next = (chains.get(key) ?? Promise.resolve())
        .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
        .then(async () => {
          const handler = handlers.get(source);
          if (!handler) throw new Error(`nothing handles ${source}`);
          await handler(read);
        })
        .catch((error: unknown) => void errors.push(error));
      chains.set(key, next);
      return true;
    },
    handle(source, handler) {
      handlers.set(source, handler);
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
  const dedupe = memoryDedupe();
  const record = async (u: ExternalRunUpdate) => {
    await before?.(u);
    updates.push(u);
  };
  const context: CiSystemContext = {
    config,
    env,
    onUpdate: record,
    apply: record,
    onAlert: async () => undefined,
    onEvent: async () => undefined,
    dedupe,
    intake: memoryIntake(dedupe),
    logger: quietLogger,
    clock: { now: () => new Date() },
    redactor: new Redactor(),
  };
  return { context, updates };
}
