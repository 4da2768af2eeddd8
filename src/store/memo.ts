/**
 * Answers to hot reads (the newest runs, what is live where) kept in memory until the next write.
 * Valid because this process is the database's only writer (SQLite is embedded); a store shared
 * by several processes must not use it. Every write moves the generation on when it starts and
 * when it ends, and an answer is kept only if no write started or ended while it was read, so a
 * read racing a write is never remembered.
 */
export interface Memo<K, V> {
  get(key: K, load: () => Promise<V>): Promise<V>;
  /** Wraps a write: answers read before it ends are forgotten. */
  write<T>(work: () => Promise<T>): Promise<T>;
}

export function createMemo<K, V>(): Memo<K, V> {
  let generation = 0;
  const kept = new Map<K, { generation: number; value: V }>();
  return {
    async get(key, load) {
      const hit = kept.get(key);
      if (hit && hit.generation === generation) return hit.value;
      const started = generation;
      const value = await load();
      if (generation === started) kept.set(key, { generation, value: frozen(value) });
      return value;
    },
    async write(work) {
      generation++;
      try {
        return await work();
      } finally {
        generation++;
      }
    },
  };
}

/** Shared answers are frozen, so a caller that changes one fails loudly instead of changing it for all. */
function frozen<V>(value: V): V {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) frozen(inner);
  }
  return value;
}
