/** The on-call port computed from the config: schedules' shifts and whom escalation levels page. */

import type { OnCallSettings } from '../../config/oncall-settings.ts';
import type { PersonInfo } from '../people.ts';
import { Schedule } from './schedule.ts';
import type { EscalationPolicy, OnCall, Shift } from './types.ts';

export type { OnCallSettings, ScheduleSpec } from '../../config/oncall-settings.ts';
export type { EscalationPolicy, EscalationTarget, OnCall, Shift } from './types.ts';

/** The people directory as on-call needs it: who has a role. */
export interface PeopleWithRoles {
  withRole(role: string): readonly PersonInfo[];
}

/**
 * Which of a policy's levels is paged at step `step` (0, 1, 2…, counted across repeats), or
 * undefined once the levels and their repeats are used up.
 */
export function levelAt(policy: EscalationPolicy, step: number): number | undefined {
  const count = policy.levels.length;
  if (count === 0 || step < 0 || !Number.isInteger(step) || step >= count * (policy.repeat + 1))
    return undefined;
  return step % count;
}

/** The on-call port, which takes a new `oncall:` section when the config is read again. */
export interface LiveOnCall extends OnCall {
  /** Takes the schedules and policies of a reloaded config; every holder of this port sees them. */
  replace(config: { oncall: OnCallSettings }): void;
}

class ConfiguredOnCall implements LiveOnCall {
  private byName = new Map<string, Schedule>();
  private byPolicy = new Map<string, EscalationPolicy>();

  constructor(
    settings: OnCallSettings,
    private readonly people: PeopleWithRoles,
  ) {
    this.replace({ oncall: settings });
  }

  replace({ oncall: settings }: { oncall: OnCallSettings }): void {
    this.byName = new Map(
      Object.entries(settings.schedules).map(([name, s]) => [name, new Schedule(name, s)]),
    );
    this.byPolicy = new Map(
      Object.entries(settings.escalation).map(([name, p]) => [
        name,
        { name, levels: p.levels.map((l) => ({ afterMs: l.afterMs, targets: l.targets })), repeat: p.repeat },
      ]),
    );
  }

  schedules(): readonly string[] {
    return [...this.byName.keys()];
  }

  policies(): readonly string[] {
    return [...this.byPolicy.keys()];
  }

  timeZone(schedule: string): string | undefined {
    return this.byName.get(schedule)?.spec.timeZone;
  }

  now(schedule: string, at: Date): Shift | undefined {
    return this.byName.get(schedule)?.at(at.getTime());
  }

  next(schedule: string, at: Date): Shift | undefined {
    return this.byName.get(schedule)?.after(at.getTime());
  }

  policy(name: string): EscalationPolicy | undefined {
    return this.byPolicy.get(name);
  }

  /** `level` counts across repeats: with 2 levels and `repeat: 1`, levels 2 and 3 page levels 0 and 1 again. */
  page(policy: string, level: number, at: Date): string[] {
    const found = this.byPolicy.get(policy);
    const index = found && levelAt(found, level);
    if (!found || index === undefined) return [];
    const paged = new Set<string>();
    for (const target of found.levels[index]?.targets ?? []) {
      if ('schedule' in target) {
        const shift = this.now(target.schedule, at);
        if (shift) paged.add(shift.person);
      } else if ('person' in target) paged.add(target.person);
      else for (const person of this.people.withRole(target.role)) paged.add(person.id);
    }
    return [...paged];
  }
}

/** Builds the on-call port from a validated config's `oncall:` section and the people directory. */
export function createOnCall(config: { oncall: OnCallSettings }, people: PeopleWithRoles): LiveOnCall {
  return new ConfiguredOnCall(config.oncall, people);
}
