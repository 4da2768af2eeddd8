/**
 * The links to the outside world (Slack's socket, each platform's and CI system's API), opened in
 * the background once deckhand listens: nothing waits for them, each is retried with capped,
 * jittered exponential backoff, and /readyz reports each one's state and why it is down.
 */

import type { ModuleLogger } from '../modules/common.ts';
import type { Connection } from '../modules/connection.ts';

export interface Backoff {
  /** Before the second attempt (default 1 s); doubled after each failure… */
  firstMs: number;
  /** …up to this (default 60 s). */
  maxMs: number;
}

export const defaultBackoff: Backoff = { firstMs: 1000, maxMs: 60_000 };

/** The wait before attempt `failures + 1`: exponential, capped, then jittered to 50–100 % ("equal jitter"). */
export function backoffMs(failures: number, b: Backoff, random: () => number = Math.random): number {
  const ceiling = Math.min(b.maxMs, b.firstMs * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** One module's link, as /readyz shows it. */
export interface LinkState {
  up: boolean;
  /** Why it is not up (its last failure, or that it is still connecting). */
  reason?: string;
}

interface Link {
  name: string;
  connection: Connection;
  up: boolean;
  reason: string;
  failures: number;
  timer?: NodeJS.Timeout;
  attempting: boolean;
}

export interface ConnectionsOptions {
  logger: ModuleLogger;
  backoff?: Backoff;
  /** Longest one attempt may take before it counts as failed (default 30 s). */
  attemptMs?: number;
  /** How often an open link is asked whether it is still up (default 5 s). */
  watchMs?: number;
}

export class Connections {
  private readonly links: Link[] = [];
  private stopped = false;
  private watcher?: NodeJS.Timeout;
  private readonly backoff: Backoff;

  constructor(private readonly o: ConnectionsOptions) {
    this.backoff = o.backoff ?? defaultBackoff;
  }

  /** A module's link, by the module's name. */
  add(name: string, connection: Connection): void {
    this.links.push({ name, connection, up: false, reason: 'connecting', failures: 0, attempting: false });
  }

  /** Starts every link's first attempt without waiting for any. */
  start(): void {
    this.stopped = false;
    for (const link of this.links) this.attempt(link);
    if (this.links.some((l) => l.connection.health)) {
      this.watcher = setInterval(() => this.watch(), this.o.watchMs ?? 5000);
      this.watcher.unref();
    }
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.watcher);
    for (const link of this.links) clearTimeout(link.timer);
  }

  /** Every link's state now. */
  states(): Record<string, LinkState> {
    return Object.fromEntries(
      this.links.map((l) => {
        if (!l.up) return [l.name, { up: false, reason: l.reason }];
        const health = l.connection.health?.();
        return [l.name, health ? { up: false, reason: health.down } : { up: true }];
      }),
    );
  }

  private attempt(link: Link): void {
    if (this.stopped || link.attempting) return;
    link.attempting = true;
    let timer: NodeJS.Timeout | undefined;
    const limit = this.o.attemptMs ?? 30_000;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${limit / 1000} s`)), limit);
      timer.unref();
    });
    Promise.race([Promise.resolve().then(() => link.connection.open()), late])
      .then(
        () => {
          if (this.stopped) return;
          link.up = true;
          link.failures = 0;
          link.reason = '';
          this.o.logger.info({ module: link.name }, `${link.name}: connected`);
        },
        (error: unknown) => {
          if (this.stopped) return;
          link.up = false;
          link.failures += 1;
          link.reason = error instanceof Error ? error.message : String(error);
          const wait = backoffMs(link.failures, this.backoff);
          this.o.logger.warn(
            { module: link.name, attempt: link.failures, retryInMs: wait },
            `${link.name} is not connected: ${link.reason}; retrying in ${seconds(wait)}`,
          );
          link.timer = setTimeout(() => this.attempt(link), wait);
          link.timer.unref();
        },
      )
      .finally(() => {
        clearTimeout(timer);
        link.attempting = false;
      });
  }

  /** Opens again a link whose module gave up on it. */
  private watch(): void {
    for (const link of this.links) {
      if (!link.up) continue;
      const health = link.connection.health?.();
      if (!health?.gone) continue;
      link.up = false;
      link.failures = 1;
      link.reason = health.down;
      const wait = backoffMs(link.failures, this.backoff);
      this.o.logger.warn(
        { module: link.name, retryInMs: wait },
        `${link.name} lost its connection: ${health.down}; retrying in ${seconds(wait)}`,
      );
      link.timer = setTimeout(() => this.attempt(link), wait);
      link.timer.unref();
    }
  }
}

const seconds = (ms: number) => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);
