/** Deploy freezes: recurring or one-off windows, read in each window's own time zone. */
import { CronExpressionParser } from 'cron-parser';
import type { FreezeSchedule, FreezeWindow } from '../config/freezes.ts';

export type { FreezeSchedule, FreezeWindow };

/** A freeze in force for one environment: since when and until when. */
export interface ActiveFreeze {
  window: FreezeWindow;
  environment: string;
  since: Date;
  until: Date;
}

/** The freeze stopping `command` on `environment` at `now`; of several, the one that ends last. */
export function activeFreeze(
  windows: FreezeWindow[],
  target: { environment: string; command: string },
  now: Date,
): ActiveFreeze | undefined {
  let found: ActiveFreeze | undefined;
  for (const window of windows) {
    if (!covers(window, target.environment) || !stops(window, target.command)) continue;
    const span = spanAt(window, now);
    if (span && (!found || span.until > found.until)) {
      found = { window, environment: target.environment, ...span };
    }
  }
  return found;
}

/** Freezes on `environment` that start after `now` and within `withinMs`, soonest first. */
export function upcomingFreezes(
  windows: FreezeWindow[],
  environment: string,
  now: Date,
  withinMs: number,
): ActiveFreeze[] {
  const horizon = now.getTime() + withinMs;
  const found: ActiveFreeze[] = [];
  for (const window of windows) {
    if (!covers(window, environment)) continue;
    const s = window.schedule;
    let span: { since: Date; until: Date } | undefined;
    if (s.kind === 'once') {
      if (s.from > now) span = { since: s.from, until: s.to };
    } else {
      const since = around(s.start, window.timezone, now).next;
      const until = since && around(s.end, window.timezone, since).next;
      if (since && until) span = { since, until };
    }
    if (span && span.since.getTime() <= horizon) found.push({ window, environment, ...span });
  }
  return found.sort((a, b) => a.since.getTime() - b.since.getTime());
}

/** "`production` is frozen (weekend: Fri 16:00 – Mon 08:00 Europe/Berlin) until Mon 30 Nov 08:00 Europe/Berlin: no deploys." */
export function freezeSentence(active: ActiveFreeze): string {
  const { window, since, until } = active;
  const zone = window.timezone;
  const what =
    window.schedule.kind === 'recurring'
      ? `${window.name}: ${spanText(since, until, zone)} ${zone}`
      : window.name;
  const reason = window.reason?.trim().replace(/[.!]+$/, '');
  return `\`${active.environment}\` is frozen (${what}) until ${localTime(until, zone, true)} ${zone}${reason ? `: ${reason}` : ''}.`;
}

/** Who may approve a deploy during the freeze, or that nobody can. */
export function breakGlassHint(active: ActiveFreeze): string {
  const roles = active.window.breakGlass.roles.map((r) => `\`${r}\``);
  if (roles.length === 0) return `Nobody can break the \`${active.window.name}\` freeze; wait until it ends.`;
  const list = roles.length === 1 ? roles[0] : `${roles.slice(0, -1).join(', ')} or ${roles.at(-1)}`;
  return `Someone with the ${list} role can approve a break-glass deploy during the \`${active.window.name}\` freeze.`;
}

/** `Fri 27 Nov 16:00` (or `Fri 16:00`) as the clock on the wall reads in `timezone`. */
export function localTime(date: Date, timezone: string, withDate: boolean): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  const time = `${parts.hour}:${parts.minute}`;
  return withDate ? `${parts.weekday} ${parts.day} ${parts.month} ${time}` : `${parts.weekday} ${time}`;
}

function covers(window: FreezeWindow, environment: string): boolean {
  return window.enabled && (!window.environments || window.environments.includes(environment));
}

function stops(window: FreezeWindow, command: string): boolean {
  return window.commands.includes('*') || window.commands.includes(command);
}

/** The last occurrence of a cron expression at or before `now`, and the first after it. */
function around(expression: string, timezone: string, now: Date): { last?: Date; next?: Date } {
  // cron-parser's prev() skips a time moved by a DST change and its next() skips one when it starts
  // inside the changed hour, so: step two occurrences back with prev(), then walk forward with next().
  // A time the clocks skip (02:30 on spring-forward day) then happens once, shifted by the gap (03:30);
  // a time they repeat (02:30 on fall-back day) happens once, at its first (summer-time) occurrence.
  let anchor = now.getTime();
  try {
    const back = CronExpressionParser.parse(expression, { currentDate: new Date(anchor + 1), tz: timezone });
    anchor = back.prev().getTime();
    anchor = back.prev().getTime();
  } catch {
    // Fewer than two earlier occurrences: walk from the earliest found.
  }
  const result: { last?: Date; next?: Date } = {};
  try {
    const walk = CronExpressionParser.parse(expression, { currentDate: new Date(anchor - 1), tz: timezone });
    for (let i = 0; i < 100; i++) {
      const t = walk.next().toDate();
      if (t > now) {
        result.next = t;
        break;
      }
      result.last = t;
    }
  } catch {
    // No later occurrence.
  }
  return result;
}

/** The span of `window` in force at `now`, if any. */
function spanAt(window: FreezeWindow, now: Date): { since: Date; until: Date } | undefined {
  const s = window.schedule;
  if (s.kind === 'once') return s.from <= now && now < s.to ? { since: s.from, until: s.to } : undefined;
  const since = around(s.start, window.timezone, now).last;
  if (!since) return undefined;
  const end = around(s.end, window.timezone, now);
  if (end.last && end.last >= since) return undefined;
  return end.next ? { since, until: end.next } : undefined;
}

/** `22:00 – 06:00` within a day, `Fri 16:00 – Mon 08:00` within a week, with dates beyond. */
function spanText(since: Date, until: Date, timezone: string): string {
  const ms = until.getTime() - since.getTime();
  if (ms < 86_400_000) {
    const time = (d: Date) => localTime(d, timezone, false).slice(4);
    return `${time(since)} – ${time(until)}`;
  }
  const withDate = ms >= 7 * 86_400_000;
  return `${localTime(since, timezone, withDate)} – ${localTime(until, timezone, withDate)}`;
}
