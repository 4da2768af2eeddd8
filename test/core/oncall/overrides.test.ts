/** Overrides cut into a rotation: the rotation's turn is cut short around them, and resumes after. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createOnCall } from '../../../src/core/oncall/index.ts';
import type { Shift } from '../../../src/core/oncall/types.ts';

const oncall = createOnCall(
  {
    oncall: {
      schedules: {
        primary: {
          timeZone: 'America/New_York',
          // Turns from 09:00 EDT (13:00 UTC): 10 Mar ann, 11 Mar ben, 12 Mar cat.
          rotation: {
            people: ['ann', 'ben', 'cat'],
            length: { count: 1, unit: 'd' },
            handoff: { hour: 9, minute: 0 },
            start: '2026-03-01',
          },
          overrides: [
            // Within ann's turn of 10 Mar.
            { person: 'cat', from: new Date('2026-03-10T18:00Z'), to: new Date('2026-03-11T02:00Z') },
            // Across the hand-off of 11 Mar 13:00 UTC (ben to cat).
            { person: 'dan', from: new Date('2026-03-11T10:00Z'), to: new Date('2026-03-11T16:00Z') },
          ],
        },
      },
      escalation: {},
    },
  },
  { withRole: () => [] },
);

const show = (s: Shift | undefined) =>
  s
    ? `${s.person} ${s.from.toISOString().slice(5, 16)} → ${s.until.toISOString().slice(5, 16)}${s.override ? ' (override)' : ''}`
    : 'nobody';

const cases: { at: string; now: string; next: string }[] = [
  {
    at: '2026-03-10T15:00Z',
    now: 'ann 03-10T13:00 → 03-10T18:00',
    next: 'cat 03-10T18:00 → 03-11T02:00 (override)',
  },
  {
    at: '2026-03-10T18:00Z',
    now: 'cat 03-10T18:00 → 03-11T02:00 (override)',
    next: 'ann 03-11T02:00 → 03-11T10:00',
  },
  {
    at: '2026-03-11T05:00Z',
    now: 'ann 03-11T02:00 → 03-11T10:00',
    next: 'dan 03-11T10:00 → 03-11T16:00 (override)',
  },
  {
    at: '2026-03-11T12:59Z',
    now: 'dan 03-11T10:00 → 03-11T16:00 (override)',
    next: 'ben 03-11T16:00 → 03-12T13:00',
  },
  { at: '2026-03-11T16:00Z', now: 'ben 03-11T16:00 → 03-12T13:00', next: 'cat 03-12T13:00 → 03-13T13:00' },
];

describe('overrides', () => {
  for (const c of cases) {
    it(`at ${c.at}: ${c.now}`, () => {
      assert.equal(show(oncall.now('primary', new Date(c.at))), c.now);
      assert.equal(show(oncall.next('primary', new Date(c.at))), c.next);
    });
  }

  it("an override before the rotation starts is on call, and the rotation's first turn is next", () => {
    const early = createOnCall(
      {
        oncall: {
          schedules: {
            s: {
              timeZone: 'UTC',
              rotation: {
                people: ['ann'],
                length: { count: 1, unit: 'w' },
                handoff: { hour: 9, minute: 0 },
                start: '2026-03-01',
              },
              overrides: [
                { person: 'zoe', from: new Date('2026-02-27T09:00Z'), to: new Date('2026-02-28T09:00Z') },
              ],
            },
          },
          escalation: {},
        },
      },
      { withRole: () => [] },
    );
    assert.equal(show(early.now('s', new Date('2026-02-26T00:00Z'))), 'nobody');
    assert.equal(
      show(early.next('s', new Date('2026-02-26T00:00Z'))),
      'zoe 02-27T09:00 → 02-28T09:00 (override)',
    );
    assert.equal(
      show(early.now('s', new Date('2026-02-27T12:00Z'))),
      'zoe 02-27T09:00 → 02-28T09:00 (override)',
    );
    // Nobody between the override and the rotation's first turn: next is that turn.
    assert.equal(show(early.next('s', new Date('2026-02-27T12:00Z'))), 'ann 03-01T09:00 → 03-08T09:00');
    assert.equal(show(early.now('s', new Date('2026-02-28T12:00Z'))), 'nobody');
    assert.equal(show(early.next('s', new Date('2026-02-28T12:00Z'))), 'ann 03-01T09:00 → 03-08T09:00');
  });
});
