/** On-call as the config gives it (`oncall:` in deckhand.yaml, validated): schedules and escalation policies. */
/** Who an escalation level pages (the core's `EscalationTarget`, which is the same shape). */
export type EscalationTarget = { schedule: string } | { person: string } | { role: string };

/** Weekdays as the config writes them, Monday first (index 0 is Monday). */
export const weekdayNames = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** How long each turn of a rotation lasts, on the wall clock: `12h`, `1d`, `1w`. */
export interface RotationLength {
  count: number;
  unit: 'h' | 'd' | 'w';
}

/** People taking turns, handing off at a local wall-clock time. */
export interface RotationSpec {
  people: string[];
  length: RotationLength;
  /** The local time of the hand-off, and for weekly rotations the weekday (0 Monday … 6 Sunday). */
  handoff: { hour: number; minute: number; weekday?: number };
  /** The local date (`2026-01-05`) of the first hand-off, or the first one on `handoff.weekday` after it. */
  start: string;
}

/** Someone on call in place of the rotation, from one instant to another. */
export interface OverrideSpec {
  person: string;
  from: Date;
  to: Date;
}

export interface ScheduleSpec {
  /** IANA time zone of the hand-offs and of the times shown. */
  timeZone: string;
  rotation: RotationSpec;
  /** Non-overlapping, cutting into the rotation. */
  overrides: OverrideSpec[];
}

export interface EscalationSpec {
  levels: { afterMs: number; targets: EscalationTarget[] }[];
  /** How many times the levels are gone through again after the last one. */
  repeat: number;
}

/** The validated `oncall:` section. */
export interface OnCallSettings {
  schedules: Record<string, ScheduleSpec>;
  escalation: Record<string, EscalationSpec>;
}
