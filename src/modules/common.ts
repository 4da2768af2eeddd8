/** Small types every module kind shares. */

/** Where conventional secrets (SLACK_BOT_TOKEN…) are read. */
export type Env = Record<string, string | undefined>;

export interface ModuleLogger {
  info(o: object, m?: string): void;
  warn(o: object, m?: string): void;
  error(o: object, m?: string): void;
}

/**
 * What `work` gives within `ms`, else `fallback` (e.g. group roles, which must never delay an
 * answer a platform waits for).
 */
export async function within<T>(work: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
