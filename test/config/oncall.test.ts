/** `oncall:` in deckhand.yaml: schedules and escalation policies read, and their mistakes found at load with line and column. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConfigProblem } from '../../src/config/load.ts';
import { at, parseConfig, problems } from '../helpers/config.ts';

const base = `people:
  - { id: alice, name: Alice, roles: [lead], chat: { webchat: alice } }
  - { id: bob, name: Bob, chat: { webchat: bob } }
  - { id: carol, name: Carol, roles: [lead], chat: { webchat: carol } }
roles:
  lead: {}
  viewer: {}
oncall:
  schedules:
    primary:
      timeZone: Europe/Berlin
      rotation:
        people: [alice, bob]
        length: 1w
        handoff: monday 09:00
        start: 2026-01-05
      overrides:
        - { person: carol, from: 2026-12-24T18:00, to: 2026-12-27T09:00 }
        - { person: bob, from: "2026-12-31T18:00+01:00", to: 2027-01-01 }
    secondary:
      timeZone: Asia/Kolkata
      rotation: { people: [carol], length: 12h, handoff: "09:00", start: 2026-01-01 }
  escalation:
    default:
      levels:
        - { after: 15m, targets: [{ schedule: primary }] }
        - { after: 30m, targets: [{ role: lead }, { person: bob }] }
      repeat: 2
`;

const edit = (from: string, to: string) => {
  assert.ok(base.includes(from), from);
  return base.replace(from, to);
};

describe('oncall config', () => {
  it('reads schedules, overrides in the zone or with an offset, and policies', () => {
    const config = parseConfig(base, '/x/deckhand.yaml', {});
    const primary = config.oncall.schedules.primary;
    assert.ok(primary);
    assert.deepEqual(primary.rotation, {
      people: ['alice', 'bob'],
      length: { count: 1, unit: 'w' },
      handoff: { hour: 9, minute: 0, weekday: 0 },
      start: '2026-01-05',
    });
    assert.deepEqual(
      primary.overrides.map((o) => [o.person, o.from.toISOString(), o.to.toISOString()]),
      [
        // Berlin is UTC+1 in December; a bare date is the midnight that starts it.
        ['carol', '2026-12-24T17:00:00.000Z', '2026-12-27T08:00:00.000Z'],
        ['bob', '2026-12-31T17:00:00.000Z', '2026-12-31T23:00:00.000Z'],
      ],
    );
    assert.deepEqual(config.oncall.schedules.secondary?.rotation.handoff, { hour: 9, minute: 0 });
    assert.deepEqual(config.oncall.escalation.default, {
      levels: [
        { afterMs: 15 * 60_000, targets: [{ schedule: 'primary' }] },
        { afterMs: 30 * 60_000, targets: [{ role: 'lead' }, { person: 'bob' }] },
      ],
      repeat: 2,
    });
  });

  it('is empty when the section is absent', () => {
    const config = parseConfig('people: []\n', '/x/deckhand.yaml', {});
    assert.deepEqual(config.oncall, { schedules: {}, escalation: {} });
  });

  const mistakes: {
    name: string;
    text: string;
    path: string;
    token: string;
    nth?: number;
    message: RegExp;
  }[] = [
    {
      name: 'a mistyped time zone, with a guess',
      text: edit('Europe/Berlin', 'Europe/Berln'),
      path: 'oncall.schedules.primary.timeZone',
      token: 'timeZone: Europe/Berln',
      message: /^"Europe\/Berln" is not a time zone; did you mean "Europe\/Berlin"\?$/,
    },
    {
      name: 'a time zone that is no IANA name',
      text: edit('Europe/Berlin', 'Mars/Olympus_Mons'),
      path: 'oncall.schedules.primary.timeZone',
      token: 'timeZone: Mars',
      message: /^"Mars\/Olympus_Mons" is not a time zone; write an IANA name such as Europe\/Berlin/,
    },
    {
      name: 'an unknown person in a rotation',
      text: edit('people: [alice, bob]', 'people: [alice, bbo]'),
      path: 'oncall.schedules.primary.rotation.people.1',
      token: 'bbo',
      message: /^unknown person "bbo"; did you mean "bob"\?$/,
    },
    {
      name: 'an unknown person in an override',
      text: edit('{ person: carol,', '{ person: dave,'),
      path: 'oncall.schedules.primary.overrides.0.person',
      token: 'person: dave',
      message: /^unknown person "dave"; add it under people \(known: alice, bob, carol\)$/,
    },
    {
      name: 'overlapping overrides',
      text: edit('from: "2026-12-31T18:00+01:00"', 'from: "2026-12-26T18:00+01:00"'),
      path: 'oncall.schedules.primary.overrides.1',
      token: '{ person: bob',
      message:
        /^overlaps override 0 \(2026-12-24T18:00 to 2026-12-27T09:00\); one person is on call at a time$/,
    },
    {
      name: 'an override that ends before it starts',
      text: edit('to: 2026-12-27T09:00', 'to: 2026-12-23T09:00'),
      path: 'oncall.schedules.primary.overrides.0.to',
      token: 'to: 2026-12-23T09:00',
      message: /^to \(2026-12-23T09:00\) must be after from \(2026-12-24T18:00\)$/,
    },
    {
      name: 'an override time that is no time',
      text: edit('from: 2026-12-24T18:00', 'from: 2026-12-32T18:00'),
      path: 'oncall.schedules.primary.overrides.0.from',
      token: 'from: 2026-12-32T18:00',
      message: /^"2026-12-32T18:00" is not a time; write a local time such as 2026-12-24T18:00/,
    },
    {
      name: 'a rotation length that is no length',
      text: edit('length: 1w', 'length: 1 fortnight'),
      path: 'oncall.schedules.primary.rotation.length',
      token: 'length: 1 fortnight',
      message: /^"1 fortnight" is not a rotation length; write e\.g\. 1w, 2w, 1d or 12h$/,
    },
    {
      name: 'a hand-off time that is no time',
      text: edit('handoff: monday 09:00', 'handoff: monday 25:00'),
      path: 'oncall.schedules.primary.rotation.handoff',
      token: 'handoff: monday 25:00',
      message: /^"monday 25:00" is not a hand-off time/,
    },
    {
      name: 'a weekday for a daily rotation',
      text: edit('length: 12h, handoff: "09:00"', 'length: 1d, handoff: "friday 09:00"'),
      path: 'oncall.schedules.secondary.rotation.handoff',
      token: 'handoff: "friday',
      message: /^a weekday is for weekly rotations/,
    },
    {
      name: 'a start that is no date',
      text: edit('start: 2026-01-05', 'start: 2026-02-30'),
      path: 'oncall.schedules.primary.rotation.start',
      token: 'start: 2026-02-30',
      message: /^write a local date such as 2026-01-05$/,
    },
    {
      name: 'a policy naming an unknown schedule',
      text: edit('{ schedule: primary }', '{ schedule: primry }'),
      path: 'oncall.escalation.default.levels.0.targets.0.schedule',
      token: 'schedule: primry',
      message: /^unknown schedule "primry"; did you mean "primary"\?$/,
    },
    {
      name: 'a policy naming an unknown role',
      text: edit('{ role: lead }', '{ role: laed }'),
      path: 'oncall.escalation.default.levels.1.targets.0.role',
      token: 'role: laed',
      message: /^unknown role "laed"; did you mean "lead"\?$/,
    },
    {
      name: 'a policy paging a role nobody has',
      text: edit('{ role: lead }', '{ role: viewer }'),
      path: 'oncall.escalation.default.levels.1.targets.0.role',
      token: 'role: viewer',
      message: /^nobody has the role "viewer", so this target pages nobody/,
    },
    {
      name: 'a policy naming an unknown person',
      text: edit('{ person: bob }', '{ person: bobb }'),
      path: 'oncall.escalation.default.levels.1.targets.1.person',
      token: 'person: bobb',
      message: /^unknown person "bobb"; did you mean "bob"\?$/,
    },
    {
      name: 'a target naming two things',
      text: edit('{ person: bob }', '{ person: bob, role: lead }'),
      path: 'oncall.escalation.default.levels.1.targets.1',
      token: '{ person: bob',
      nth: 2,
      message: /^a target is one of \{ schedule: <name> \}, \{ person: <id> \} or \{ role: <name> \}$/,
    },
    {
      name: 'a mistyped key',
      text: edit('timeZone: Asia/Kolkata', 'timezone: Asia/Kolkata'),
      path: 'oncall.schedules.secondary.timezone',
      token: 'timezone',
      message: /did you mean "timeZone"\?$/,
    },
  ];

  it('names the override another overlaps by its place as written, past one that is no time', () => {
    const text = edit(
      '        - { person: carol, from: 2026-12-24T18:00, to: 2026-12-27T09:00 }\n',
      '        - { person: bob, from: soon, to: later }\n        - { person: carol, from: 2026-12-24T18:00, to: 2026-12-27T09:00 }\n        - { person: bob, from: 2026-12-25T00:00, to: 2026-12-26T00:00 }\n',
    );
    assert.deepEqual(
      problems(text).map((p) => [p.path, p.message.slice(0, 40)]),
      [
        ['oncall.schedules.primary.overrides.0.from', '"soon" is not a time; write a local time'],
        ['oncall.schedules.primary.overrides.0.to', '"later" is not a time; write a local tim'],
        ['oncall.schedules.primary.overrides.2', 'overlaps override 1 (2026-12-24T18:00 to'],
      ],
    );
  });

  for (const m of mistakes) {
    it(`finds: ${m.name}`, () => {
      const found = problems(m.text);
      assert.equal(found.length, 1, JSON.stringify(found));
      const [p] = found as [ConfigProblem];
      assert.equal(p.path, m.path);
      assert.match(p.message, m.message);
      assert.deepEqual({ line: p.line, column: p.column }, at(m.text, m.token, m.nth));
    });
  }
});
