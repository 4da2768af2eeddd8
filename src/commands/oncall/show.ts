/** How `/oncall` shows a schedule: who is on call now and until when, and who is next, locally and in UTC. */
import type { Shift } from '../../core/oncall/types.ts';
import { showWall } from '../../core/oncall/zone.ts';

/** `Mon 14 Dec 09:00 (Mon 14 Dec 08:00 UTC)`: the schedule's wall clock first. */
export function showTime(at: Date, zone: string): string {
  const local = showWall(at.getTime(), zone);
  return zone === 'UTC' ? `${local} UTC` : `${local} (${showWall(at.getTime(), 'UTC')} UTC)`;
}

const turn = (shift: Shift, zone: string, mention: (id: string) => string) =>
  `${mention(shift.person)} until ${showTime(shift.until, zone)}${shift.override ? ' (override)' : ''}`;

/** The lines for one schedule: its name and zone, who is on call now, and who is next. */
export function scheduleLines(
  name: string,
  zone: string,
  now: Shift | undefined,
  next: Shift | undefined,
  mention: (id: string) => string,
): string[] {
  const lines = [`\`${name}\` (${zone})`];
  lines.push(now ? `  Now: ${turn(now, zone, mention)}` : '  Now: nobody');
  if (next && !now) lines.push(`  Next: ${mention(next.person)} from ${showTime(next.from, zone)}`);
  else if (next) lines.push(`  Next: ${turn(next, zone, mention)}`);
  return lines;
}
