/**
 * The audit log as the core reads it: an entry, and the read-only ports `/ci audit` and `/ci stats`
 * read through. Here, importing nothing, so the stores, the families and the commands that name
 * them import one place instead of each other.
 */

export interface AuditEntry {
  id: number;
  at: Date;
  /** `command`, `action`, `run.finished`… */
  kind: string;
  /** Person id, when known. */
  actor?: string;
  platform?: string;
  platformUser?: string;
  channel?: string;
  text?: string;
  command?: unknown;
  /** `allowed`, `denied:<rule>`, `rejected:<why>`, `recorded`. */
  decision: string;
  outcome?: string;
  runId?: number;
}

/** Which entries to read: one person's, or one kind's. */
export interface AuditFilter {
  /** Person id. */
  actor?: string;
  /** `command`, `action`, `run.finished`. */
  kind?: string;
}

/** The port `/ci audit` reads through: the latest entries, as written (already redacted). */
export interface AuditLogReader {
  /** Newest first. */
  recent(limit: number, filter?: AuditFilter): Promise<AuditEntry[]>;
  /** Entries that carry a command (typed or clicked), from `from` to `until`, oldest first (incident timelines). */
  between?(from: Date, until: Date, limit: number): Promise<AuditEntry[]>;
}

/** One command's use: every time it was typed, how often it was allowed, refused, and succeeded. */
export interface CommandUsage {
  command: string;
  total: number;
  /** Allowed, and the reply was not an error. */
  succeeded: number;
  /** Refused by the policy (`denied:<rule>`). */
  denied: number;
  /** Allowed, but the reply was an error (no such branch, a lock, a CI system's refusal…). */
  failed: number;
}

/** How many commands one person typed. */
export interface PersonUsage {
  /** Person id. */
  actor: string;
  total: number;
}

/** Runs of one kind (build, test, deploy, rollback). */
export interface RunOutcomes {
  kind: string;
  total: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  /** Median duration of the succeeded runs that recorded one. */
  medianMs?: number;
}

export interface UsageStats {
  /** Most used first. `--explain` questions are not counted as uses. */
  commands: CommandUsage[];
  /** Who typed the most commands, most first. */
  people: PersonUsage[];
  /** Commands that could not be parsed (unknown command, bad arguments). */
  unparsed: number;
  /** Most runs first. */
  runs: RunOutcomes[];
}

/** The port `/ci stats` reads through: aggregates over the audit log and the runs since a time. */
export interface UsageStatsReader {
  /** `commands`: the command names to count under (the audit log stores each parsed command). */
  stats(since: Date, commands: readonly string[], topPeople?: number): Promise<UsageStats>;
}
