/**
 * How a module reaches the outside world it needs (a socket, an API it calls), so that deckhand
 * can open it in the background, retry it, and report it on /readyz instead of waiting for it.
 */

/** A link to a service; deckhand opens it after listening and retries it with backoff until it opens. */
export interface Connection {
  /**
   * Reaches the service once: resolves when it answered and accepted deckhand's credentials,
   * rejects with a sentence saying what failed (never a secret).
   */
  open(): Promise<void>;
  /**
   * After `open` resolved: undefined while it is up; why it is down otherwise, with `gone` when
   * the module gave up on it and wants `open` called again (a socket its SDK stopped reconnecting).
   */
  health?(): { down: string; gone?: boolean } | undefined;
}

/** What {@link probe} asks of a service. */
export interface ProbeOptions {
  /** The service as people know it ("GitHub", "the Teams token endpoint"). */
  what: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  fetch?: typeof fetch;
  /** Per attempt (default 10 s). */
  timeoutMs?: number;
  /** A refusal the status does not show (Slack answers 200 `{ ok: false }`); undefined when accepted. */
  refusal?(res: Response): Promise<string | undefined>;
}

/** The scheme, host and port of a URL: what a message may show of it (no credentials, path or query). */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'an invalid URL';
  }
}

/** Why a request failed, from fetch's cause (ECONNREFUSED…) rather than its "fetch failed". */
export function failureOf(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return 'no answer in time';
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(error);
}

/**
 * One request that tells whether a service is reachable and takes deckhand's credentials: it
 * fails when the service cannot be reached, answers 5xx, or refuses (401, 403); any other answer
 * counts as reached.
 */
export async function probe(o: ProbeOptions): Promise<void> {
  let res: Response;
  try {
    res = await (o.fetch ?? fetch)(o.url, {
      method: o.method ?? 'GET',
      headers: o.headers,
      body: o.body,
      signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
    });
  } catch (error) {
    throw new Error(`${o.what} is unreachable at ${originOf(o.url)} (${failureOf(error)})`);
  }
  if (res.status === 401 || res.status === 403) {
    await res.body?.cancel();
    throw new Error(`${o.what} refused deckhand's credentials (HTTP ${res.status})`);
  }
  if (res.status >= 500) {
    await res.body?.cancel();
    throw new Error(`${o.what} answered HTTP ${res.status} at ${originOf(o.url)}`);
  }
  const refused = await o.refusal?.(res);
  if (!o.refusal) await res.body?.cancel();
  if (refused) throw new Error(`${o.what} refused deckhand's credentials (${refused})`);
}
