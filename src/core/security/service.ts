/** Scans in, one message out: findings at or above the threshold, each told once across runs and deliveries. */
import { createHash } from 'node:crypto';
import type { Message } from '../messages.ts';
import type { Clock } from '../ports.ts';
import type { DedupeStore } from '../store.ts';
import { atLeast, fingerprintOf, readScan, type Scan, type Severity } from './findings.ts';
import { findingsMessage } from './message.ts';

/** Where a channel lives on one platform. */
export interface Target {
  platform: string;
  channel: string;
}

export interface SecurityFindingsOptions {
  /** Remembers the findings already told (for `database.keepDeliveryIds`). */
  dedupe: Pick<DedupeStore, 'claim' | 'known'>;
  clock: Clock;
  /** Findings below this are not told (`security.minSeverity`). */
  minSeverity: Severity;
  /** How many findings one message lists before "and N more" (`security.maxListed`). */
  maxListed: number;
  /** The channels routed for `kind: security`, now (a reload may change them). */
  targets: () => Target[];
  /** Queues a message to a channel (through the outbox) under `key`: a key queued before is not queued again. */
  post: (to: Target, message: Message, key: string) => Promise<void>;
}

/** What reporting a scan did. */
export interface ScanReport {
  /** Findings told now. */
  told: number;
  /** Findings at or above the threshold told before (or listed twice in the scan). */
  repeated: number;
  /** Findings below the threshold. */
  below: number;
}

/** The dedupe store's namespace for findings already told. */
export const findingSource = 'security-finding';

export class SecurityFindings {
  constructor(private readonly o: SecurityFindingsOptions) {}

  /** The intake's handler for a recorded scan (one that cannot be read back is passed over). */
  async handle(data: unknown): Promise<void> {
    const scan = readScan(data);
    if (scan) await this.report(scan);
  }

  /**
   * Tells the scan's new findings at or above the threshold, in one message per channel. With no
   * channel routed nothing is claimed, so a channel added later still hears about them.
   */
  async report(scan: Scan): Promise<ScanReport> {
    const wanted = scan.findings.filter((f) => atLeast(f.severity, this.o.minSeverity));
    const below = scan.findings.length - wanted.length;
    const targets = this.o.targets();
    if (wanted.length === 0 || targets.length === 0) return { told: 0, repeated: 0, below };
    // The same finding twice in one scan (one package at two paths) is one line.
    const unique = new Map(wanted.map((f) => [fingerprintOf(scan.repository, f), f]));
    const now = this.o.clock.now();
    // Told first, claimed after, under a key naming exactly what it tells: a crash between the two
    // tells the same findings again under the same key, which the outbox queues once.
    const told = await this.o.dedupe.known(findingSource, [...unique.keys()]);
    const freshKeys = [...unique.keys()].filter((k) => !told.has(k));
    const fresh = freshKeys.map((k) => unique.get(k) as (typeof wanted)[number]);
    const repeated = wanted.length - fresh.length;
    if (fresh.length === 0) return { told: 0, repeated, below };
    const message = findingsMessage(scan, fresh, this.o.maxListed);
    const key = `security:${createHash('sha256').update(freshKeys.sort().join('\n')).digest('hex').slice(0, 32)}`;
    for (const to of targets) await this.o.post(to, message, key);
    // Claimed together: the store commits claims that arrive at once in one transaction.
    await Promise.all(freshKeys.map((k) => this.o.dedupe.claim(findingSource, k, now)));
    return { told: fresh.length, repeated, below };
  }
}
