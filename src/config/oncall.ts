/** `oncall:` in deckhand.yaml: schedules (rotations with overrides) and escalation policies. */
import { z } from 'zod';
import { parseDuration } from './duration.ts';
import type { EscalationSpec, OnCallSettings, RotationLength, ScheduleSpec } from './oncall-settings.ts';
import { weekdayNames } from './oncall-settings.ts';
import { closest } from './suggest.ts';
import { instantOf, isTimeZone } from './zone.ts';

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'use letters, digits, ".", "_" and "-" only (e.g. "primary")');

/** IANA names Intl lists, for "did you mean" (it accepts more, such as aliases). */
const knownZones = () => ['UTC', ...Intl.supportedValuesOf('timeZone')];

const timeZone = z.string().superRefine((name, ctx) => {
  if (isTimeZone(name)) return;
  const guess = closest(name, knownZones());
  ctx.addIssue({
    code: 'custom',
    message: guess
      ? `"${name}" is not a time zone; did you mean "${guess}"?`
      : `"${name}" is not a time zone; write an IANA name such as Europe/Berlin, America/New_York or UTC`,
  });
});

const length = z.string().transform((text, ctx): RotationLength => {
  const m = /^(\d+)\s*(h|d|w)$/.exec(text.trim());
  const count = Number(m?.[1]);
  if (!m || count < 1 || count > 1000) {
    ctx.addIssue({
      code: 'custom',
      message: `"${text}" is not a rotation length; write e.g. 1w, 2w, 1d or 12h`,
    });
    return z.NEVER;
  }
  return { count, unit: m[2] as RotationLength['unit'] };
});

const handoff = z.string().transform((text, ctx): ScheduleSpec['rotation']['handoff'] => {
  const m = /^(?:([a-z]+)\s+)?(\d{1,2}):(\d{2})$/i.exec(text.trim());
  const day = m?.[1]?.toLowerCase();
  const weekday = day === undefined ? undefined : weekdayNames.findIndex((w) => w.startsWith(day));
  const hour = Number(m?.[2]);
  const minute = Number(m?.[3]);
  if (!m || hour > 23 || minute > 59 || weekday === -1 || (day !== undefined && day.length < 3)) {
    ctx.addIssue({
      code: 'custom',
      message: `"${text}" is not a hand-off time; write a local time such as 09:00, or "monday 09:00" for a weekly rotation`,
    });
    return z.NEVER;
  }
  return weekday === undefined ? { hour, minute } : { hour, minute, weekday };
});

const date = z.string().refine((text) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}, 'write a local date such as 2026-01-05');

/** `2026-12-24T18:00` (local to the schedule), `2026-12-24` (its midnight), or ISO with `Z` or an offset. */
const timePattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** The instant a written time names in `zone`, or undefined when it is not a real time. */
export function instantIn(text: string, zone: string): number | undefined {
  const m = timePattern.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h = 0, mi = 0, s = 0] = m
    .slice(1, 7)
    .map((v) => (v === undefined ? undefined : Number(v)));
  if (y === undefined || mo === undefined || d === undefined || h > 23 || mi > 59 || s > 59) return undefined;
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(wall);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  const offset = m[7];
  if (offset === undefined) return instantOf(wall, zone);
  if (offset.toUpperCase() === 'Z') return wall;
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  return wall - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

const override = z.strictObject({ person: id, from: z.string(), to: z.string() });

const schedule = z
  .strictObject({
    /** IANA time zone of the hand-offs, the overrides' local times and the times shown in chat. */
    timeZone: timeZone.default('UTC'),
    rotation: z.strictObject({
      people: z.array(id).min(1, 'a rotation needs at least one person'),
      length,
      /** Local time, with the weekday for weekly rotations (`monday 09:00`). */
      handoff: handoff.default({ hour: 9, minute: 0 }),
      /** The local date the rotation starts from. */
      start: date,
    }),
    overrides: z.array(override).default([]),
  })
  .transform((s, ctx): ScheduleSpec => {
    if (!isTimeZone(s.timeZone)) return z.NEVER;
    const { rotation } = s;
    if (rotation.handoff.weekday !== undefined && rotation.length.unit !== 'w')
      ctx.addIssue({
        code: 'custom',
        path: ['rotation', 'handoff'],
        message: 'a weekday is for weekly rotations (length 1w, 2w…); write the time alone',
      });
    const overrides: ScheduleSpec['overrides'] = [];
    /** Each valid override's index as written, for naming the one another overlaps. */
    const written: number[] = [];
    s.overrides.forEach((o, i) => {
      const from = instantIn(o.from, s.timeZone);
      const to = instantIn(o.to, s.timeZone);
      const bad = (key: 'from' | 'to', text: string) =>
        ctx.addIssue({
          code: 'custom',
          path: ['overrides', i, key],
          message: `"${text}" is not a time; write a local time such as 2026-12-24T18:00, or ISO with an offset (2026-12-24T18:00+01:00)`,
        });
      if (from === undefined) bad('from', o.from);
      if (to === undefined) bad('to', o.to);
      if (from === undefined || to === undefined) return;
      if (to <= from) {
        ctx.addIssue({
          code: 'custom',
          path: ['overrides', i, 'to'],
          message: `to (${o.to}) must be after from (${o.from})`,
        });
        return;
      }
      const found = overrides.findIndex((x) => x.from.getTime() < to && from < x.to.getTime());
      const clash = written[found] ?? -1;
      if (clash >= 0)
        ctx.addIssue({
          code: 'custom',
          path: ['overrides', i],
          message: `overlaps override ${clash} (${s.overrides[clash]?.from} to ${s.overrides[clash]?.to}); one person is on call at a time`,
        });
      overrides.push({ person: o.person, from: new Date(from), to: new Date(to) });
      written.push(i);
    });
    return { timeZone: s.timeZone, rotation, overrides };
  });

const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration; write e.g. 5m, 15m or 1h` });
    return z.NEVER;
  }
  return ms;
});

const target = z
  .strictObject({ schedule: id.optional(), person: id.optional(), role: id.optional() })
  .transform((t, ctx): EscalationSpec['levels'][number]['targets'][number] => {
    const given = (['schedule', 'person', 'role'] as const).filter((k) => t[k] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: 'a target is one of { schedule: <name> }, { person: <id> } or { role: <name> }',
      });
      return z.NEVER;
    }
    const key = given[0] as 'schedule' | 'person' | 'role';
    const name = t[key] as string;
    return key === 'schedule' ? { schedule: name } : key === 'person' ? { person: name } : { role: name };
  });

const policy = z
  .strictObject({
    levels: z
      .array(
        z.strictObject({
          /** How long an unacknowledged incident waits at this level before the next is paged. */
          after: duration,
          targets: z.array(target).min(1, 'a level pages at least one target'),
        }),
      )
      .min(1, 'a policy has at least one level'),
    /** How many times the levels are gone through again after the last (0: stop there). */
    repeat: z.number().int().min(0).max(10).default(0),
  })
  .transform(
    (p): EscalationSpec => ({
      levels: p.levels.map((l) => ({ afterMs: l.after, targets: l.targets })),
      repeat: p.repeat,
    }),
  );

/** The `oncall:` section. */
export const oncallSchema = z
  .strictObject({
    schedules: z.record(id, schedule).default({}),
    escalation: z.record(id, policy).default({}),
  })
  .prefault({});

/** People, roles and schedules that `oncall:` names exist; a role it pages is held by someone. */
export function checkOnCall(
  config: {
    people: { id: string; roles: string[] }[];
    roles: Record<string, unknown>;
    oncall: OnCallSettings;
  },
  issue: (path: (string | number)[], message: string) => void,
): void {
  const people = config.people.map((p) => p.id);
  const schedules = Object.keys(config.oncall.schedules);
  const roles = Object.keys(config.roles);
  const person = (at: (string | number)[], name: string) => {
    if (!people.includes(name)) issue(at, unknownName('person', name, people, 'people'));
  };
  for (const [name, s] of Object.entries(config.oncall.schedules)) {
    const at = ['oncall', 'schedules', name];
    s.rotation.people.forEach((p, j) => {
      person([...at, 'rotation', 'people', j], p);
    });
    s.overrides.forEach((o, j) => {
      person([...at, 'overrides', j, 'person'], o.person);
    });
  }
  for (const [name, p] of Object.entries(config.oncall.escalation)) {
    p.levels.forEach((level, i) => {
      level.targets.forEach((t, j) => {
        const at = ['oncall', 'escalation', name, 'levels', i, 'targets', j];
        if ('person' in t) person([...at, 'person'], t.person);
        else if ('schedule' in t && !schedules.includes(t.schedule))
          issue([...at, 'schedule'], unknownName('schedule', t.schedule, schedules, 'oncall.schedules'));
        else if ('role' in t && !roles.includes(t.role))
          issue([...at, 'role'], unknownName('role', t.role, roles, 'roles'));
        else if ('role' in t && !config.people.some((x) => x.roles.includes(t.role)))
          issue(
            [...at, 'role'],
            `nobody has the role "${t.role}", so this target pages nobody; give it to someone under people`,
          );
      });
    });
  }
}

/** `unknown person "alcie"; did you mean "alice"?`, or the names there are. */
function unknownName(kind: string, name: string, known: readonly string[], where: string): string {
  const guess = closest(name, known);
  if (guess) return `unknown ${kind} "${name}"; did you mean "${guess}"?`;
  const list = known.length ? `known: ${known.join(', ')}` : 'none is defined';
  return `unknown ${kind} "${name}"; add it under ${where} (${list})`;
}
