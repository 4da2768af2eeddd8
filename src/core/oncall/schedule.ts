/**
 * One schedule's shifts: a rotation handing off at a local wall-clock time, with overrides cut in.
 * Hand-offs follow the wall clock, so across a DST change a daily 09:00 hand-off stays at 09:00
 * local and that shift lasts 23 h or 25 h. A hand-off time the clocks skip happens as far after the
 * jump as it was into the gap (02:30 becomes 03:30); one the clocks show twice happens the first
 * time (see `instantOf`).
 */
import type { OverrideSpec, ScheduleSpec } from '../../config/oncall-settings.ts';
import { instantOf, wallAt } from '../../config/zone.ts';
import type { Shift } from './types.ts';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
const unitMs = { h: hourMs, d: dayMs, w: 7 * dayMs };

/** The wall time of a rotation's first hand-off. */
export function firstHandoff(spec: ScheduleSpec['rotation']): number {
  const [y, m, d] = spec.start.split('-').map(Number) as [number, number, number];
  let day = Date.UTC(y, m - 1, d) / dayMs;
  const { weekday, hour, minute } = spec.handoff;
  // Day 0 (1970-01-01) was a Thursday: weekday 3 with Monday as 0.
  if (weekday !== undefined) day += (((weekday - (day + 3)) % 7) + 7) % 7;
  return day * dayMs + hour * hourMs + minute * 60_000;
}

export class Schedule {
  private readonly first: number;
  private readonly length: number;
  private readonly overrides: readonly OverrideSpec[];

  constructor(
    readonly name: string,
    readonly spec: ScheduleSpec,
  ) {
    this.first = firstHandoff(spec.rotation);
    this.length = spec.rotation.length.count * unitMs[spec.rotation.length.unit];
    this.overrides = [...spec.overrides].sort((a, b) => a.from.getTime() - b.from.getTime());
  }

  /** The instant of the rotation's k-th hand-off (k = 0 is the first). */
  handoff(k: number): number {
    return instantOf(this.first + k * this.length, this.spec.timeZone);
  }

  /** The rotation's turn in force at `t`: -1 before the first hand-off. */
  private turn(t: number): number {
    if (t < this.handoff(0)) return -1;
    let k = Math.max(0, Math.floor((wallAt(t, this.spec.timeZone) - this.first) / this.length));
    while (k > 0 && this.handoff(k) > t) k--;
    while (this.handoff(k + 1) <= t) k++;
    return k;
  }

  /** The shift in force at `t`, an override's or the rotation's (cut short by overrides around `t`). */
  at(t: number): Shift | undefined {
    const override = this.overrides.find((o) => o.from.getTime() <= t && t < o.to.getTime());
    if (override)
      return {
        schedule: this.name,
        person: override.person,
        from: override.from,
        until: override.to,
        override: true,
      };
    const k = this.turn(t);
    if (k < 0) return undefined;
    const people = this.spec.rotation.people;
    let from = this.handoff(k);
    let until = this.handoff(k + 1);
    for (const o of this.overrides) {
      const start = o.from.getTime();
      const end = o.to.getTime();
      if (end <= t && end > from) from = end;
      if (start > t && start < until) until = start;
    }
    const person = people[k % people.length] as string;
    return { schedule: this.name, person, from: new Date(from), until: new Date(until) };
  }

  /** The shift after the one in force at `t`, or the first to come when nobody follows at once. */
  after(t: number): Shift | undefined {
    const edge = this.at(t)?.until.getTime() ?? t;
    const following = edge > t ? this.at(edge) : undefined;
    if (following) return following;
    const starts = [this.handoff(0), ...this.overrides.map((o) => o.from.getTime())].filter((s) => s > edge);
    return starts.length > 0 ? this.at(Math.min(...starts)) : undefined;
  }
}
