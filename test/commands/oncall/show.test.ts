/** How `/oncall` writes times and shifts: the schedule's wall clock first, UTC beside it, the same on any ICU build. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scheduleLines, showTime } from '../../../src/commands/oncall/show.ts';

const cases: { zone: string; at: string; shown: string }[] = [
  { zone: 'Europe/Berlin', at: '2026-03-29T01:30Z', shown: 'Sun 29 Mar 03:30 (Sun 29 Mar 01:30 UTC)' },
  { zone: 'America/New_York', at: '2026-11-01T05:30Z', shown: 'Sun 1 Nov 01:30 (Sun 1 Nov 05:30 UTC)' },
  { zone: 'America/New_York', at: '2026-11-01T06:30Z', shown: 'Sun 1 Nov 01:30 (Sun 1 Nov 06:30 UTC)' },
  { zone: 'Australia/Sydney', at: '2026-10-03T22:00Z', shown: 'Sun 4 Oct 09:00 (Sat 3 Oct 22:00 UTC)' },
  { zone: 'Asia/Kolkata', at: '2026-12-31T20:00Z', shown: 'Fri 1 Jan 01:30 (Thu 31 Dec 20:00 UTC)' },
  { zone: 'UTC', at: '2026-06-15T12:05Z', shown: 'Mon 15 Jun 12:05 UTC' },
];

describe('showing on-call times', () => {
  for (const c of cases) {
    it(`${c.zone} at ${c.at}`, () => {
      assert.equal(showTime(new Date(c.at), c.zone), c.shown);
    });
  }

  it('says nobody is on call, and when the first turn starts', () => {
    const first = {
      schedule: 's',
      person: 'ann',
      from: new Date('2026-03-01T08:00Z'),
      until: new Date('2026-03-08T08:00Z'),
    };
    assert.deepEqual(
      scheduleLines('s', 'Europe/Berlin', undefined, first, (id) => `<@${id}>`),
      ['`s` (Europe/Berlin)', '  Now: nobody', '  Next: <@ann> from Sun 1 Mar 09:00 (Sun 1 Mar 08:00 UTC)'],
    );
    assert.deepEqual(
      scheduleLines('s', 'UTC', undefined, undefined, (id) => id),
      ['`s` (UTC)', '  Now: nobody'],
    );
  });
});
