/**
 * Rotations hand off at a local wall-clock time, across the DST changes of 2026 in four zones
 * (dates from the IANA tz database as Node's ICU has it: US 8 Mar / 1 Nov, EU 29 Mar / 25 Oct,
 * Sydney 5 Apr / 4 Oct; India keeps one offset). The instant asked about stands in for the clock.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScheduleSpec } from '../../../src/config/oncall-settings.ts';
import { createOnCall } from '../../../src/core/oncall/index.ts';
import type { Shift } from '../../../src/core/oncall/types.ts';

const daily = (timeZone: string, people: string[], hour = 9, minute = 0): ScheduleSpec => ({
  timeZone,
  rotation: { people, length: { count: 1, unit: 'd' }, handoff: { hour, minute }, start: '2026-03-01' },
  overrides: [],
});

const weekly = (timeZone: string, weekday: number): ScheduleSpec => ({
  timeZone,
  rotation: {
    people: ['ann', 'ben'],
    length: { count: 1, unit: 'w' },
    handoff: { hour: 9, minute: 0, weekday },
    start: '2026-03-01',
  },
  overrides: [],
});

const oncall = createOnCall(
  {
    oncall: {
      schedules: {
        newYork: daily('America/New_York', ['ann', 'ben', 'cat']),
        berlin: daily('Europe/Berlin', ['ann', 'ben'], 2, 30),
        berlinWeekly: weekly('Europe/Berlin', 0),
        sydney: weekly('Australia/Sydney', 5),
        kolkata: {
          timeZone: 'Asia/Kolkata',
          rotation: {
            people: ['ann', 'ben', 'cat'],
            length: { count: 12, unit: 'h' },
            handoff: { hour: 9, minute: 0 },
            start: '2026-03-01',
          },
          overrides: [],
        },
      },
      escalation: {},
    },
  },
  { withRole: () => [] },
);

/** A shift as `person from → until` in UTC, `(override)` marked. */
const show = (s: Shift | undefined) =>
  s
    ? `${s.person} ${s.from.toISOString().slice(0, 16)} → ${s.until.toISOString().slice(0, 16)}${s.override ? ' (override)' : ''}`
    : 'nobody';

const hours = (s: Shift | undefined) => (s ? (s.until.getTime() - s.from.getTime()) / 3_600_000 : 0);

const cases: { name: string; schedule: string; at: string; now: string; hours: number; next: string }[] = [
  {
    name: 'New York, spring forward (8 Mar): the 09:00 hand-off stays 09:00, the shift is 23 h',
    schedule: 'newYork',
    at: '2026-03-08T12:00Z',
    now: 'ann 2026-03-07T14:00 → 2026-03-08T13:00',
    hours: 23,
    next: 'ben 2026-03-08T13:00 → 2026-03-09T13:00',
  },
  {
    name: 'New York, fall back (1 Nov): 25 h',
    schedule: 'newYork',
    at: '2026-10-31T20:00Z',
    now: 'ben 2026-10-31T13:00 → 2026-11-01T14:00',
    hours: 25,
    next: 'cat 2026-11-01T14:00 → 2026-11-02T14:00',
  },
  {
    name: 'Berlin, a 02:30 hand-off the clocks skip (29 Mar) happens at 03:30 CEST',
    schedule: 'berlin',
    at: '2026-03-29T00:00Z',
    now: 'ben 2026-03-28T01:30 → 2026-03-29T01:30',
    hours: 24,
    next: 'ann 2026-03-29T01:30 → 2026-03-30T00:30',
  },
  {
    name: 'Berlin, the shift after the skipped 02:30 is 23 h',
    schedule: 'berlin',
    at: '2026-03-29T02:00Z',
    now: 'ann 2026-03-29T01:30 → 2026-03-30T00:30',
    hours: 23,
    next: 'ben 2026-03-30T00:30 → 2026-03-31T00:30',
  },
  {
    name: 'Berlin, a 02:30 hand-off the clocks show twice (25 Oct) happens the first time (CEST)',
    schedule: 'berlin',
    at: '2026-10-25T00:10Z',
    now: 'ben 2026-10-24T00:30 → 2026-10-25T00:30',
    hours: 24,
    next: 'ann 2026-10-25T00:30 → 2026-10-26T01:30',
  },
  {
    name: 'Berlin, after the repeated hour nobody hands off again: that shift is 25 h',
    schedule: 'berlin',
    at: '2026-10-25T01:10Z',
    now: 'ann 2026-10-25T00:30 → 2026-10-26T01:30',
    hours: 25,
    next: 'ben 2026-10-26T01:30 → 2026-10-27T01:30',
  },
  {
    name: 'Berlin weekly, Monday 09:00 across 29 Mar: one hour short of a week',
    schedule: 'berlinWeekly',
    at: '2026-03-27T12:00Z',
    now: 'ben 2026-03-23T08:00 → 2026-03-30T07:00',
    hours: 167,
    next: 'ann 2026-03-30T07:00 → 2026-04-06T07:00',
  },
  {
    name: 'Sydney weekly, Saturday 09:00 across the end of DST (5 Apr): a week and an hour',
    schedule: 'sydney',
    at: '2026-04-05T12:00Z',
    now: 'ann 2026-04-03T22:00 → 2026-04-10T23:00',
    hours: 169,
    next: 'ben 2026-04-10T23:00 → 2026-04-17T23:00',
  },
  {
    name: 'Sydney weekly, across the start of DST (4 Oct): a week less an hour',
    schedule: 'sydney',
    at: '2026-10-04T12:00Z',
    now: 'ann 2026-10-02T23:00 → 2026-10-09T22:00',
    hours: 167,
    next: 'ben 2026-10-09T22:00 → 2026-10-16T22:00',
  },
  {
    name: 'Kolkata, 12 h turns at 09:00 and 21:00 IST (UTC+5:30), untouched by others’ DST',
    schedule: 'kolkata',
    at: '2026-03-29T10:00Z',
    now: 'cat 2026-03-29T03:30 → 2026-03-29T15:30',
    hours: 12,
    next: 'ann 2026-03-29T15:30 → 2026-03-30T03:30',
  },
  {
    name: 'before the rotation starts nobody is on call; next is its first turn',
    schedule: 'newYork',
    at: '2026-02-28T12:00Z',
    now: 'nobody',
    hours: 0,
    next: 'ann 2026-03-01T14:00 → 2026-03-02T14:00',
  },
];

describe('rotation across time zones and DST', () => {
  for (const c of cases) {
    it(c.name, () => {
      const at = new Date(c.at);
      const now = oncall.now(c.schedule, at);
      assert.equal(show(now), c.now);
      assert.equal(hours(now), c.hours);
      assert.equal(show(oncall.next(c.schedule, at)), c.next);
    });
  }

  it('hands the rotation round in order, one turn per length, from the start date', () => {
    const people = [];
    for (let day = 1; day <= 7; day++) {
      const at = new Date(Date.UTC(2026, 2, day, 18));
      people.push(oncall.now('newYork', at)?.person);
    }
    assert.deepEqual(people, ['ann', 'ben', 'cat', 'ann', 'ben', 'cat', 'ann']);
  });

  it('each shift ends where the next begins, through a whole year in every zone', () => {
    for (const name of oncall.schedules()) {
      let at = new Date('2026-03-08T00:00Z');
      while (at < new Date('2027-03-08T00:00Z')) {
        const now = oncall.now(name, at);
        const next = oncall.next(name, at);
        assert.ok(now && next, `${name} at ${at.toISOString()}`);
        assert.equal(next.from.getTime(), now.until.getTime(), `${name} at ${at.toISOString()}`);
        assert.ok(now.from <= at && at < now.until, `${name} at ${at.toISOString()}`);
        at = next.from;
      }
    }
  });

  it('knows no unknown schedule', () => {
    assert.equal(oncall.now('nope', new Date()), undefined);
    assert.equal(oncall.next('nope', new Date()), undefined);
    assert.deepEqual(oncall.schedules(), ['newYork', 'berlin', 'berlinWeekly', 'sydney', 'kolkata']);
    assert.equal(oncall.timeZone?.('sydney'), 'Australia/Sydney');
  });
});
