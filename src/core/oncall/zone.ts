/** How on-call shows an instant on a schedule's wall clock (the arithmetic is the config's, src/config/zone.ts). */
import { dayOf, wallAt, weekdayOf } from '../../config/zone.ts';

const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** `Mon 14 Dec 09:00` as the clocks in `zone` show instant `t` (the same on every ICU build). */
export function showWall(t: number, zone: string): string {
  const wall = new Date(wallAt(t, zone));
  const day = weekdays[weekdayOf(dayOf(wall.getTime()))] as string;
  const month = months[wall.getUTCMonth()] as string;
  return `${day} ${wall.getUTCDate()} ${month} ${two(wall.getUTCHours())}:${two(wall.getUTCMinutes())}`;
}
