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

/**
 * `text` within `max` characters, cut only between pieces (words, or alternatives with
 * `separator: ' | '`) and ending in `…` when cut: a hint or a description is never cut mid-word.
 */
export function clip(text: string, max: number, separator = ' '): string {
  if (text.length <= max) return text;
  const pieces = text.split(separator);
  const ellipsis = separator.trim() ? `${separator}…` : '…';
  let kept = '';
  for (const piece of pieces) {
    const next = kept ? `${kept}${separator}${piece}` : piece;
    if (`${next}${ellipsis}`.length > max) break;
    kept = next;
  }
  // A first piece longer than max has no word boundary to cut at: cut it and say so.
  return kept ? `${kept}${ellipsis}` : `${text.slice(0, max - 1)}…`;
}
