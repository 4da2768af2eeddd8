/** `/oncall` through the core, at a fixed instant: who is on call now and next, escalation, help, and mistakes. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { toPlainText } from '../../../src/core/messages.ts';
import { createHarness, harnessConfig } from '../../helpers/core-harness.ts';

const yaml = `${harnessConfig.replace(
  'people:\n',
  'people:\n  - { id: carol, name: Carol, roles: [lead], chat: { test: U3 } }\n',
)}
roles:
  lead: {}
oncall:
  schedules:
    primary:
      timeZone: Europe/Berlin
      rotation: { people: [alice, bob], length: 1w, handoff: monday 09:00, start: 2026-01-05 }
      overrides:
        - { person: carol, from: 2026-12-24T18:00, to: 2026-12-27T09:00 }
    follow-sun:
      timeZone: Asia/Kolkata
      rotation: { people: [carol, bob], length: 12h, start: 2026-01-01 }
  escalation:
    default:
      levels:
        - { after: 15m, targets: [{ schedule: primary }] }
        - { after: 30m, targets: [{ role: lead }, { person: bob }] }
      repeat: 2
`;

// Thu 24 Dec 2026, 13:00 in Berlin (UTC+1) and 17:30 in Kolkata (UTC+5:30): Kolkata's turn 714 (carol).
const at = new Date('2026-12-24T12:00:00Z');

const primary = [
  '`primary` (Europe/Berlin)',
  '  Now: @Alice until Thu 24 Dec 18:00 (Thu 24 Dec 17:00 UTC)',
  '  Next: @Carol until Sun 27 Dec 09:00 (Sun 27 Dec 08:00 UTC) (override)',
];
const followSun = [
  '`follow-sun` (Asia/Kolkata)',
  '  Now: @Carol until Thu 24 Dec 21:00 (Thu 24 Dec 15:30 UTC)',
  '  Next: @Bob until Fri 25 Dec 09:00 (Fri 25 Dec 03:30 UTC)',
];

const cases: { line: string; header?: string; text: string | RegExp; status?: string }[] = [
  { line: '/oncall', header: 'On call', text: [...primary, ...followSun].join('\n') },
  { line: '/oncall now', header: 'On call', text: [...primary, ...followSun].join('\n') },
  { line: '/oncall primary', header: 'On call: primary', text: primary.join('\n') },
  { line: '/oncall now follow-sun', header: 'On call: follow-sun', text: followSun.join('\n') },
  { line: '/oncall PRIMARY', header: 'On call: primary', text: primary.join('\n') },
  {
    line: '/oncall primry',
    status: 'error',
    text: 'There is no schedule `primry`. Did you mean `primary`? Schedules: primary, follow-sun.',
  },
  {
    line: '/oncall hlep',
    status: 'error',
    text: 'Unknown command `hlep`. Did you mean `/oncall help`? Commands: now, escalation, help. `/oncall help` explains them.',
  },
  {
    line: '/oncall escalaton default',
    status: 'error',
    text: 'Unknown command `escalaton`. Did you mean `/oncall escalation`? Commands: now, escalation, help. `/oncall help` explains them.',
  },
  {
    line: '/oncall secondary',
    status: 'error',
    text: 'There is no schedule `secondary`. Schedules: primary, follow-sun.',
  },
  {
    line: '/oncall primary extra',
    status: 'error',
    text: /^Too many arguments: `extra`\. Usage: `\/oncall now \[schedule\]`/,
  },
  {
    line: '/oncall help',
    header: '/oncall commands',
    text: /^`\/oncall now \[schedule\]` — Who is on call now and next.*\n {2}e\.g\. `\/oncall primary`\n`\/oncall escalation \[policy\]`/,
  },
  {
    line: '/oncall escalation',
    header: 'Escalation',
    text: [
      '`default` (then all levels again, 2 more times)',
      '  1. schedule `primary`: pages @Alice now; unacknowledged after 15m, the next level',
      '  2. role `lead`, @Bob: pages @Carol, @Bob now; unacknowledged after 30m, level 1 again',
    ].join('\n'),
  },
  {
    line: '/oncall escalation defualt',
    status: 'error',
    text: 'There is no escalation policy `defualt`. Did you mean `default`? Policies: default.',
  },
  { line: '/oncall primary --explain', header: 'Would run', text: /^`\/oncall primary` would run/ },
  // /ci keeps its behaviour: a bare root is help, an unknown word is refused.
  { line: '/ci', header: '/ci commands', text: /^`\/ci build \[branch\]`/ },
  { line: '/ci primary', status: 'error', text: /^Unknown command `primary`\./ },
];

describe('/oncall', () => {
  let h: Awaited<ReturnType<typeof createHarness>>;
  before(async () => {
    h = await createHarness(yaml, { clock: { now: () => at } });
  });
  after(() => h.close());

  for (const c of cases) {
    it(c.line, async () => {
      const m = await h.say(c.line);
      if (c.header !== undefined) assert.equal(m.header, c.header, toPlainText(m));
      if (c.status !== undefined) assert.equal(m.status, c.status, toPlainText(m));
      if (typeof c.text === 'string') assert.equal(m.text, c.text);
      else assert.match(m.text ?? '', c.text);
    });
  }
});

describe('/oncall without schedules', () => {
  let h: Awaited<ReturnType<typeof createHarness>>;
  before(async () => {
    h = await createHarness(harnessConfig, { clock: { now: () => at } });
  });
  after(() => h.close());

  it('says how to add them', async () => {
    const m = await h.say('/oncall');
    assert.match(m.text ?? '', /^No on-call schedules are configured\. Add them under `oncall\.schedules`/);
    const named = await h.say('/oncall primary');
    assert.equal(named.status, 'error');
    assert.match(named.text ?? '', /no on-call schedules are configured/);
    assert.match((await h.say('/oncall escalation')).text ?? '', /^No escalation policies are configured/);
  });
});
