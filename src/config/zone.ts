/**
 * Wall-clock arithmetic in IANA time zones with Intl.DateTimeFormat alone. A wall time is held as
 * milliseconds on a UTC scale (`Date.UTC(y, m, d, h, mi)` of what the clocks show), so adding a day
 * to it is adding 86 400 000 whatever the zone does that day.
 */

const formats = new Map<string, Intl.DateTimeFormat>();

function format(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(zone, f);
  }
  return f;
}

/** Whether Intl knows `zone` as an IANA time zone (`Europe/Berlin`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  if (zone.length === 0) return false;
  try {
    format(zone);
    return true;
  } catch {
    return false;
  }
}

/** What the clocks in `zone` show at instant `t`, as a wall time. */
export function wallAt(t: number, zone: string): number {
  const parts: Record<string, number> = {};
  for (const p of format(zone).formatToParts(new Date(t))) parts[p.type] = Number(p.value);
  const n = (type: string) => parts[type] ?? 0;
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) + (t % 1000);
}

/** How far clocks in `zone` are ahead of UTC at instant `t`, in milliseconds. */
export function offsetAt(t: number, zone: string): number {
  return wallAt(t, zone) - t;
}

/**
 * The instant the clocks in `zone` show `wall`. A wall time the clocks skip (02:30 when they jump
 * from 02:00 to 03:00) is read on the clock from before the jump, so it falls after the gap by as
 * much as it was into it (03:30); a wall time the clocks show twice (01:30 when they fall back from
 * 02:00 to 01:00) is its first showing.
 */
export function instantOf(wall: number, zone: string): number {
  // Offsets change at most once in a day around any instant this arithmetic is used for.
  const before = offsetAt(wall - 86_400_000, zone);
  const after = offsetAt(wall + 86_400_000, zone);
  const fits = [wall - before, wall - after].filter((t) => wallAt(t, zone) === wall);
  return fits.length > 0 ? Math.min(...fits) : wall - before;
}

/** The wall time's date as days since 1970-01-01 (day 0 was a Thursday). */
export const dayOf = (wall: number): number => Math.floor(wall / 86_400_000);

/** The weekday of a day number, 0 for Monday to 6 for Sunday. */
export const weekdayOf = (day: number): number => (((day + 3) % 7) + 7) % 7;
