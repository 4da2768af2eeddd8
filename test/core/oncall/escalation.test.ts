/** Escalation policies: whom each level pages (schedules resolved at the instant, roles expanded, no one twice), and repeats. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createOnCall, levelAt } from '../../../src/core/oncall/index.ts';
import { Directory } from '../../../src/core/people.ts';

const person = (id: string, roles: string[] = []) => ({ id, name: id, roles, chat: {}, emails: [] });
const directory = new Directory([
  person('ann'),
  person('ben', ['lead']),
  person('cat', ['lead', 'sre']),
  person('dan', ['sre']),
]);

const oncall = createOnCall(
  {
    oncall: {
      schedules: {
        // Sydney: weekly turns handed off Saturdays 09:00 local; 4 Apr ann, 11 Apr ben (after DST ends on 5 Apr).
        sydney: {
          timeZone: 'Australia/Sydney',
          rotation: {
            people: ['ann', 'ben'],
            length: { count: 1, unit: 'w' },
            handoff: { hour: 9, minute: 0, weekday: 5 },
            start: '2026-03-01',
          },
          overrides: [],
        },
        // Kolkata: daily turns at 09:00 IST (03:30 UTC).
        kolkata: {
          timeZone: 'Asia/Kolkata',
          rotation: {
            people: ['dan', 'cat'],
            length: { count: 1, unit: 'd' },
            handoff: { hour: 9, minute: 0 },
            start: '2026-04-01',
          },
          overrides: [],
        },
      },
      escalation: {
        default: {
          levels: [
            { afterMs: 5 * 60_000, targets: [{ schedule: 'sydney' }] },
            { afterMs: 10 * 60_000, targets: [{ schedule: 'kolkata' }, { role: 'lead' }, { person: 'ben' }] },
            { afterMs: 15 * 60_000, targets: [{ role: 'sre' }] },
          ],
          repeat: 1,
        },
        once: { levels: [{ afterMs: 60_000, targets: [{ person: 'ann' }] }], repeat: 0 },
      },
    },
  },
  directory,
);

// 10 Apr 22:00 UTC is Sat 11 Apr 08:00 in Sydney (ann until 09:00) and 03:30 in Kolkata on 11 Apr.
const before = new Date('2026-04-10T22:00Z');
// An hour later: Sydney has handed off to ben; Kolkata's 09:00 (03:30 UTC) has not come yet.
const after = new Date('2026-04-10T23:00Z');

const cases: { name: string; policy: string; level: number; at: Date; paged: string[] }[] = [
  { name: 'level 0: the schedule’s person on call', policy: 'default', level: 0, at: before, paged: ['ann'] },
  {
    name: 'level 0 after the hand-off: the next person',
    policy: 'default',
    level: 0,
    at: after,
    paged: ['ben'],
  },
  {
    name: 'level 1: schedule, role and person, each once (cat is on call and a lead; ben is a lead and named)',
    policy: 'default',
    level: 1,
    at: before,
    paged: ['cat', 'ben'],
  },
  {
    name: 'level 2: a role expanded to its people',
    policy: 'default',
    level: 2,
    at: before,
    paged: ['cat', 'dan'],
  },
  {
    name: 'level 3: the first repeat pages level 0 again',
    policy: 'default',
    level: 3,
    at: after,
    paged: ['ben'],
  },
  { name: 'level 4: the repeat of level 1', policy: 'default', level: 4, at: before, paged: ['cat', 'ben'] },
  { name: 'level 5: the repeat of level 2', policy: 'default', level: 5, at: before, paged: ['cat', 'dan'] },
  { name: 'level 6: repeats used up, nobody', policy: 'default', level: 6, at: before, paged: [] },
  { name: 'no repeat: one level, then nobody', policy: 'once', level: 1, at: before, paged: [] },
  { name: 'a negative level pages nobody', policy: 'default', level: -1, at: before, paged: [] },
  { name: 'an unknown policy pages nobody', policy: 'nope', level: 0, at: before, paged: [] },
];

describe('escalation', () => {
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(oncall.page(c.policy, c.level, c.at), c.paged);
    });
  }

  it('a schedule target follows the clock: Kolkata hands off at 09:00 IST', () => {
    const paged = (at: string) => oncall.page('default', 1, new Date(at));
    // 11 Apr is turn 10 of Kolkata's rotation (from 1 Apr): dan; 10 Apr was cat's.
    assert.deepEqual(paged('2026-04-11T03:29Z'), ['cat', 'ben']);
    assert.deepEqual(paged('2026-04-11T03:30Z'), ['dan', 'ben', 'cat']);
  });

  it('an unacknowledged incident walks the levels as the clock moves, through the repeat, then stops', () => {
    const policy = oncall.policy('default');
    assert.ok(policy);
    // Opened at Sydney's hand-off minus 10 minutes: ann is on call, ben from 23:00 UTC.
    let now = new Date('2026-04-10T22:50Z').getTime();
    const walked: string[] = [];
    for (let step = 0; ; step++) {
      const level = levelAt(policy, step);
      if (level === undefined) break;
      const at = new Date(now);
      walked.push(
        `${at.toISOString().slice(11, 16)} L${level}: ${oncall.page('default', step, at).join(' ')}`,
      );
      now += policy.levels[level]?.afterMs ?? 0;
    }
    assert.deepEqual(walked, [
      '22:50 L0: ann',
      '22:55 L1: cat ben',
      '23:05 L2: cat dan',
      '23:20 L0: ben',
      '23:25 L1: cat ben',
      '23:35 L2: cat dan',
    ]);
  });

  it('describes policies as configured, and which level each step is', () => {
    const policy = oncall.policy('default');
    assert.ok(policy);
    assert.deepEqual(
      policy.levels.map((l) => l.afterMs),
      [300_000, 600_000, 900_000],
    );
    assert.equal(policy.repeat, 1);
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6].map((step) => levelAt(policy, step)),
      [0, 1, 2, 0, 1, 2, undefined],
    );
    assert.deepEqual(oncall.policies?.(), ['default', 'once']);
    assert.equal(oncall.policy('nope'), undefined);
  });
});
