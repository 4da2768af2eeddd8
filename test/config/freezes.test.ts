import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { z } from 'zod';
import { freezeSchema } from '../../src/config/freezes.ts';
import type { FreezeWindow } from '../../src/core/freezes.ts';

const list = z.array(freezeSchema);

function window(input: Record<string, unknown>): FreezeWindow {
  const result = freezeSchema.safeParse({ name: 'w', ...input });
  assert.ok(result.success, result.success ? '' : JSON.stringify(result.error.issues));
  return result.data;
}

/** `path: message` for each problem. */
function problems(input: Record<string, unknown>): string[] {
  const result = freezeSchema.safeParse({ name: 'w', ...input });
  assert.ok(!result.success, 'expected problems');
  return result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

/** One problem, one sentence: no second sentence, no full stop at the end, no line break. */
function only(input: Record<string, unknown>): string {
  const found = problems(input);
  assert.equal(found.length, 1, found.join('\n'));
  const text = found[0] as string;
  assert.doesNotMatch(text, /\.\s+[A-Z]|\.$|\n/, text);
  return text;
}

const iso = (w: FreezeWindow) =>
  w.schedule.kind === 'once' ? [w.schedule.from.toISOString(), w.schedule.to.toISOString()] : [];

describe('config: freezes', () => {
  it('reads a recurring window from YAML with its defaults', () => {
    const [weekend] = list.parse(
      parse(`
- name: weekend
  reason: no deploys over the weekend
  timezone: Europe/Berlin
  start: 0 16 * * 5
  end: 0 8 * * 1
  breakGlass: { roles: [sre] }
`),
    );
    assert.deepEqual(weekend, {
      name: 'weekend',
      reason: 'no deploys over the weekend',
      enabled: true,
      commands: ['*'],
      timezone: 'Europe/Berlin',
      schedule: { kind: 'recurring', start: '0 16 * * 5', end: '0 8 * * 1' },
      breakGlass: { roles: ['sre'] },
    });
    const plain = window({ start: '0 22 * * *', end: '0 6 * * *', environments: ['production'] });
    assert.equal(plain.timezone, 'UTC');
    assert.deepEqual(plain.environments, ['production']);
    assert.deepEqual(plain.breakGlass, { roles: [] });
  });

  it('reads one-off bare dates in the time zone, `to` including its whole day', () => {
    const w = window({ timezone: 'Europe/Berlin', from: '2026-12-20', to: '2027-01-03' });
    assert.deepEqual(iso(w), ['2026-12-19T23:00:00.000Z', '2027-01-03T23:00:00.000Z']);
    assert.deepEqual(iso(window({ from: '2026-12-20', to: '2026-12-20' })), [
      '2026-12-20T00:00:00.000Z',
      '2026-12-21T00:00:00.000Z',
    ]);
  });

  it('reads one-off date-times in the time zone', () => {
    const w = window({ timezone: 'America/New_York', from: '2026-12-20T18:00', to: '2026-12-21T09:30:15' });
    assert.deepEqual(iso(w), ['2026-12-20T23:00:00.000Z', '2026-12-21T14:30:15.000Z']);
    assert.deepEqual(iso(window({ from: '2026-12-20 18:00', to: '2026-12-21 08:00' })), [
      '2026-12-20T18:00:00.000Z',
      '2026-12-21T08:00:00.000Z',
    ]);
    const [fromYaml] = list.parse(parse('- { name: w, from: 2026-12-20T18:00, to: 2026-12-21 }'));
    assert.ok(fromYaml);
    assert.deepEqual(iso(fromYaml), ['2026-12-20T18:00:00.000Z', '2026-12-22T00:00:00.000Z']);
  });

  it('one-off bounds across a DST change use the offset of their own day', () => {
    // Berlin: CET (+1) before 29 Mar 2026, CEST (+2) after; back to CET on 25 Oct.
    const spring = window({ timezone: 'Europe/Berlin', from: '2026-03-27T18:00', to: '2026-03-30T09:00' });
    assert.deepEqual(iso(spring), ['2026-03-27T17:00:00.000Z', '2026-03-30T07:00:00.000Z']);
    const autumn = window({ timezone: 'Europe/Berlin', from: '2026-10-24', to: '2026-10-25' });
    assert.deepEqual(iso(autumn), ['2026-10-23T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
    // New York: EST (-5) before 8 Mar 2026, EDT (-4) after.
    const us = window({ timezone: 'America/New_York', from: '2026-03-07', to: '2026-03-08' });
    assert.deepEqual(iso(us), ['2026-03-07T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
  });

  it('a skipped local time moves forward by the gap; a repeated one takes its first occurrence', () => {
    const skipped = window({ timezone: 'Europe/Berlin', from: '2026-03-29T02:30', to: '2026-03-29T04:00' });
    assert.deepEqual(iso(skipped), ['2026-03-29T01:30:00.000Z', '2026-03-29T02:00:00.000Z']);
    const repeated = window({ timezone: 'Europe/Berlin', from: '2026-10-25T02:30', to: '2026-10-25T04:00' });
    assert.deepEqual(iso(repeated), ['2026-10-25T00:30:00.000Z', '2026-10-25T03:00:00.000Z']);
  });

  it('a bad cron expression is one sentence naming it and showing a good one', () => {
    assert.match(
      only({ start: '0 25 * * *', end: '0 8 * * 1' }),
      /^start: "0 25 \* \* \*" is not a valid cron/,
    );
    assert.match(
      only({ start: '0 16 * * 5', end: '0 8 * *' }),
      /^end: "0 8 \* \*" has 4 fields, not 5; .*"0 16/,
    );
    assert.match(only({ start: '0 0 16 * * 5', end: '0 8 * * 1' }), /has 6 fields, not 5/);
    assert.match(only({ start: 'H 16 * * 5', end: '0 8 * * 1' }), /uses H \(a random time\)/);
    assert.match(only({ start: '0 0 30 2 *', end: '0 8 * * 1' }), /"0 0 30 2 \*" is not a valid cron/);
    assert.match(only({ start: '0 16 * * 5', end: ' 0 16 * * 5' }), /^end: end is the same as start/);
    window({ start: '0 16 * * FRI', end: '0 8 * * MON' });
  });

  it('a bad time zone is one sentence naming an example', () => {
    assert.equal(
      only({ timezone: 'Europe/Berln', start: '0 16 * * 5', end: '0 8 * * 1' }),
      'timezone: "Europe/Berln" is not a time zone; write an IANA name such as Europe/Berlin, America/New_York or UTC',
    );
    assert.match(only({ timezone: '+02:00', from: '2026-12-20', to: '2026-12-21' }), /not a time zone/);
  });

  it('exactly one of the two forms, each complete', () => {
    assert.equal(
      only({ start: '0 16 * * 5', end: '0 8 * * 1', from: '2026-12-20', to: '2026-12-21' }),
      ': give either start and end (a recurring freeze) or from and to (a one-off freeze), not both',
    );
    assert.match(only({}), /^: a freeze needs start and end \(cron times.*or from and to \(dates/);
    assert.match(only({ start: '0 16 * * 5' }), /^end: a recurring freeze needs both start and end/);
    assert.match(only({ to: '2026-12-21' }), /^from: a one-off freeze needs both from and to/);
  });

  it('`to` must be after `from`, and dates must be real', () => {
    assert.equal(
      only({ from: '2026-12-20', to: '2026-12-19' }),
      'to: to (2026-12-19) must be after from (2026-12-20)',
    );
    assert.match(only({ from: '2026-12-20T18:00', to: '2026-12-20T18:00' }), /must be after from/);
    assert.match(
      only({ from: '2026-02-30', to: '2026-03-02' }),
      /^from: "2026-02-30" is not a date; .*2026-12-20T18:00/,
    );
    assert.match(only({ from: '2026-12-20T24:00', to: '2026-12-22' }), /is not a date/);
    assert.match(only({ from: '2026-12-20T18:00Z', to: '2026-12-22' }), /is not a date/);
  });

  it('names, environments, commands and roles are ids; unknown keys are refused', () => {
    assert.match(only({ name: 'week end', start: '0 16 * * 5', end: '0 8 * * 1' }), /^name: use letters/);
    assert.match(only({ environments: [], start: '0 16 * * 5', end: '0 8 * * 1' }), /^environments:/);
    assert.deepEqual(window({ commands: ['*'], start: '0 16 * * 5', end: '0 8 * * 1' }).commands, ['*']);
    assert.match(
      only({ breakGlass: { roles: ['a b'] }, start: '0 16 * * 5', end: '0 8 * * 1' }),
      /^breakGlass\.roles\.0:/,
    );
    assert.match(only({ timezon: 'UTC', start: '0 16 * * 5', end: '0 8 * * 1' }), /timezon/);
  });
});
