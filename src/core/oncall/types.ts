/**
 * On-call as the core reads it: who is on call in a schedule, and whom an escalation policy pages.
 * `src/core/oncall/` computes it from the config's rotations and overrides; incidents read it here.
 */

/** One person's turn in a schedule. */
export interface Shift {
  schedule: string;
  /** Person id (a name under `people`). */
  person: string;
  from: Date;
  until: Date;
  /** An override replaced the rotation for this stretch. */
  override?: boolean;
}

/** Who an escalation level pages: a schedule's on-call person, a named person, or everyone with a role. */
export type EscalationTarget = { schedule: string } | { person: string } | { role: string };

export interface EscalationLevel {
  /** How long an unacknowledged incident waits at the level before the next one is paged. */
  afterMs: number;
  targets: EscalationTarget[];
}

export interface EscalationPolicy {
  name: string;
  levels: EscalationLevel[];
  /** How many times the whole policy repeats after its last level (0: it stops there). */
  repeat: number;
}

/** The on-call port: schedules, shifts and escalation policies, at any instant (tests move the clock). */
export interface OnCall {
  /** Schedule names, as configured. */
  schedules(): readonly string[];
  /** The shift in force at `at`; undefined for an unknown schedule or one with nobody in it. */
  now(schedule: string, at: Date): Shift | undefined;
  /** The shift after the one in force at `at`. */
  next(schedule: string, at: Date): Shift | undefined;
  policy(name: string): EscalationPolicy | undefined;
  /**
   * Person ids a level of a policy pages at `at` (schedules resolved, roles expanded, no repeats).
   * `level` counts on through repeats (2 levels, `repeat: 1`: 2 and 3 page levels 0 and 1 again); past them, [].
   */
  page(policy: string, level: number, at: Date): string[];
  /** Escalation policy names, as configured. */
  policies?(): readonly string[];
  /** The IANA time zone a schedule hands off in and shows its times in. */
  timeZone?(schedule: string): string | undefined;
}
