/** One entry of `freezes:` in deckhand.yaml: a recurring (cron) or one-off (dates) deploy freeze. */

import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { instantOf, isTimeZone } from './zone.ts';

/** Recurring: from each `start` to the next `end` (five-field cron, local time). Once: `from` ≤ t < `to`. */
export type FreezeSchedule =
  | { kind: 'recurring'; start: string; end: string }
  | { kind: 'once'; from: Date; to: Date };

/** One freeze as configured: when, for which environments and commands, and who may break it. */
export interface FreezeWindow {
  name: string;
  reason?: string;
  enabled: boolean;
  /** Environments it covers; absent means all. */
  environments?: string[];
  /** Commands it stops; `*` means all. */
  commands: string[];
  /** IANA time zone the schedule is read in and times are shown in. */
  timezone: string;
  schedule: FreezeSchedule;
  /** Roles that may approve a deploy during the freeze; none means nobody can. */
  breakGlass: { roles: string[] };
}

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'use letters, digits, ".", "_" and "-" only (e.g. "weekend")');

const timezone = z.string().superRefine((name, ctx) => {
  if (!isTimeZone(name)) {
    ctx.addIssue({
      code: 'custom',
      message: `"${name}" is not a time zone; write an IANA name such as Europe/Berlin, America/New_York or UTC`,
    });
  }
});

const cron = z.string().superRefine((expression, ctx) => {
  const problem = cronProblem(expression);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** `2026-12-20`, `2026-12-20T18:00` or `2026-12-20T18:00:30`, on the window's clock. */
const localPattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

const local = z.string().superRefine((text, ctx) => {
  if (wallTime(text, false) === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `"${text}" is not a date; write a local date or date-time such as 2026-12-20 or 2026-12-20T18:00`,
    });
  }
});

export const freezeSchema = z
  .strictObject({
    name: id,
    /** Shown to people when the freeze stops them. */
    reason: z.string().min(1).optional(),
    enabled: z.boolean().default(true),
    /** Environments the freeze covers; absent means all. */
    environments: z.array(id).min(1).optional(),
    /** Commands it stops, of those that change an environment (deploy, rollback); `*`: all of them. */
    commands: z
      .array(z.union([id, z.literal('*')]))
      .min(1)
      .default(['*']),
    /** IANA time zone for `start`/`end` and `from`/`to`, and for the times shown in chat. */
    timezone: timezone.default('UTC'),
    /** Recurring: five-field cron expressions, e.g. start "0 16 * * 5", end "0 8 * * 1". */
    start: cron.optional(),
    end: cron.optional(),
    /** One-off: local dates or date-times; a bare `to` date includes that whole day. */
    from: local.optional(),
    to: local.optional(),
    /** Roles that may approve a deploy during the freeze; none means nobody can. */
    breakGlass: z.strictObject({ roles: z.array(id).default([]) }).prefault({}),
  })
  .transform((f, ctx): FreezeWindow => {
    const issue = (path: string[], message: string) => {
      ctx.addIssue({ code: 'custom', path, message });
      return z.NEVER;
    };
    const recurring = f.start !== undefined || f.end !== undefined;
    const once = f.from !== undefined || f.to !== undefined;
    if (recurring && once) {
      return issue(
        [],
        'give either start and end (a recurring freeze) or from and to (a one-off freeze), not both',
      );
    }
    if (!recurring && !once) {
      return issue(
        [],
        'a freeze needs start and end (cron times, for a recurring freeze) or from and to (dates, for a one-off freeze)',
      );
    }
    const { start, end, from, to, breakGlass, ...rest } = f;
    const common = { ...rest, breakGlass: { roles: breakGlass.roles } };
    if (recurring) {
      if (start === undefined || end === undefined) {
        return issue(
          [start === undefined ? 'start' : 'end'],
          'a recurring freeze needs both start and end, e.g. start "0 16 * * 5" and end "0 8 * * 1"',
        );
      }
      if (start.trim() === end.trim()) {
        return issue(['end'], 'end is the same as start, so the freeze would never be in force');
      }
      return { ...common, schedule: { kind: 'recurring', start: start.trim(), end: end.trim() } };
    }
    if (from === undefined || to === undefined) {
      return issue(
        [from === undefined ? 'from' : 'to'],
        'a one-off freeze needs both from and to, e.g. from 2026-12-20 and to 2027-01-03',
      );
    }
    const fromAt = instantOf(wallTime(from, false) ?? 0, f.timezone);
    const toAt = instantOf(wallTime(to, true) ?? 0, f.timezone);
    if (toAt <= fromAt) return issue(['to'], `to (${to}) must be after from (${from})`);
    return { ...common, schedule: { kind: 'once', from: new Date(fromAt), to: new Date(toAt) } };
  });

export type FreezeConfig = z.output<typeof freezeSchema>;

/** Why `expression` is not a usable five-field cron expression, or undefined when it is. */
function cronProblem(expression: string): string | undefined {
  const hint = 'write five fields (minute hour day month weekday), e.g. "0 16 * * 5" for Fridays at 16:00';
  const fields = expression.trim().split(/\s+/).filter(Boolean).length;
  if (fields !== 5) return `"${expression}" has ${fields} field${fields === 1 ? '' : 's'}, not 5; ${hint}`;
  if (/\bH\b/.test(expression))
    return `"${expression}" uses H (a random time), which a freeze cannot; ${hint}`;
  try {
    CronExpressionParser.parse(expression, { currentDate: new Date(Date.UTC(2026, 0, 1)) }).next();
    return undefined;
  } catch (error) {
    const detail =
      error instanceof Error ? error.message.replace(/^./, (c) => c.toLowerCase()) : String(error);
    return `"${expression}" is not a valid cron expression (${detail}); ${hint}`;
  }
}

/**
 * The wall-clock time in `text` as milliseconds on a UTC scale, or undefined when it is not a real
 * date; `endOfDay` reads a bare date as the midnight that ends it.
 */
function wallTime(text: string, endOfDay: boolean): number | undefined {
  const m = localPattern.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => (v === undefined ? undefined : Number(v)));
  if (y === undefined || mo === undefined || d === undefined) return undefined;
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  if (h === undefined) return Date.UTC(y, mo - 1, endOfDay ? d + 1 : d);
  if (h > 23 || (mi ?? 0) > 59 || (s ?? 0) > 59) return undefined;
  return Date.UTC(y, mo - 1, d, h, mi ?? 0, s ?? 0);
}
