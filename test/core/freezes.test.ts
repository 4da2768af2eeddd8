import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  activeFreeze,
  breakGlassHint,
  type FreezeWindow,
  freezeSentence,
  upcomingFreezes,
} from '../../src/core/freezes.ts';

const at = (iso: string) => new Date(iso);

function recurring(start: string, end: string, more: Partial<FreezeWindow> = {}): FreezeWindow {
  return {
    name: 'weekend',
    enabled: true,
    commands: ['deploy', 'rollback'],
    timezone: 'Europe/Berlin',
    schedule: { kind: 'recurring', start, end },
    breakGlass: { roles: [] },
    ...more,
  };
}

function once(from: string, to: string, more: Partial<FreezeWindow> = {}): FreezeWindow {
  return recurring('', '', {
    name: 'year-end',
    schedule: { kind: 'once', from: at(from), to: at(to) },
    ...more,
  });
}

const weekend = recurring('0 16 * * 5', '0 8 * * 1', { reason: 'no deploys over the weekend' });
const nightly = recurring('0 22 * * *', '0 6 * * *', { name: 'nightly' });
const deploy = { environment: 'production', command: 'deploy' };

/** [since, until] as ISO strings, or undefined when nothing is frozen. */
function frozen(windows: FreezeWindow[], now: string, target = deploy) {
  const active = activeFreeze(windows, target, at(now));
  return active && [active.since.toISOString(), active.until.toISOString()];
}

describe('freezes: a weekend window in Europe/Berlin', () => {
  // 27 Nov 2026 is a Friday; Berlin is on UTC+1 in November.
  const span = ['2026-11-27T15:00:00.000Z', '2026-11-30T07:00:00.000Z'];

  it('starts at Friday 16:00 local, not a minute before', () => {
    assert.equal(frozen([weekend], '2026-11-27T14:59:00Z'), undefined, 'Fri 15:59');
    assert.equal(frozen([weekend], '2026-11-27T14:59:59.999Z'), undefined, 'Fri 15:59:59.999');
    assert.deepEqual(frozen([weekend], '2026-11-27T15:00:00Z'), span, 'Fri 16:00');
  });

  it('holds through Sunday and ends at Monday 08:00 local', () => {
    assert.deepEqual(frozen([weekend], '2026-11-29T11:00:00Z'), span, 'Sun 12:00');
    assert.deepEqual(frozen([weekend], '2026-11-30T06:59:00Z'), span, 'Mon 07:59');
    assert.equal(frozen([weekend], '2026-11-30T07:00:00Z'), undefined, 'Mon 08:00');
    assert.equal(frozen([weekend], '2026-12-02T12:00:00Z'), undefined, 'Wed');
  });

  it('the same window in UTC moves by the offset', () => {
    const utc = { ...weekend, timezone: 'UTC' };
    const utcSpan = ['2026-11-27T16:00:00.000Z', '2026-11-30T08:00:00.000Z'];
    assert.equal(frozen([utc], '2026-11-27T15:00:00Z'), undefined, 'Berlin 16:00 is 15:00 UTC');
    assert.equal(frozen([utc], '2026-11-27T15:59:00Z'), undefined, '15:59 UTC');
    assert.deepEqual(frozen([utc], '2026-11-27T16:00:00Z'), utcSpan, '16:00 UTC');
    assert.deepEqual(frozen([utc], '2026-11-29T11:00:00Z'), utcSpan, 'Sunday');
    assert.deepEqual(frozen([utc], '2026-11-30T07:00:00Z'), utcSpan, 'Berlin 08:00 is still frozen in UTC');
    assert.deepEqual(frozen([utc], '2026-11-30T07:59:00Z'), utcSpan, '07:59 UTC');
    assert.equal(frozen([utc], '2026-11-30T08:00:00Z'), undefined, '08:00 UTC');
  });

  it('Berlin and New York give different answers at the same instant', () => {
    const newYork = { ...weekend, timezone: 'America/New_York' };
    // Fri 20:00 UTC: 21:00 in Berlin (frozen), 15:00 in New York (not yet).
    assert.ok(frozen([weekend], '2026-11-27T20:00:00Z'));
    assert.equal(frozen([newYork], '2026-11-27T20:00:00Z'), undefined);
    // Mon 10:00 UTC: 11:00 in Berlin (over), 05:00 in New York (until 08:00 EST = 13:00 UTC).
    assert.equal(frozen([weekend], '2026-11-30T10:00:00Z'), undefined);
    assert.deepEqual(frozen([newYork], '2026-11-30T10:00:00Z'), [
      '2026-11-27T21:00:00.000Z',
      '2026-11-30T13:00:00.000Z',
    ]);
  });
});

describe('freezes: daylight saving time', () => {
  it('a nightly window across the March change in Berlin (29 Mar 2026, 02:00 → 03:00)', () => {
    // The night before: 22:00 and 06:00 CET.
    assert.deepEqual(frozen([nightly], '2026-03-27T23:00:00Z'), [
      '2026-03-27T21:00:00.000Z',
      '2026-03-28T05:00:00.000Z',
    ]);
    // The night of the change: starts at 22:00 CET, ends at 06:00 CEST.
    assert.deepEqual(frozen([nightly], '2026-03-28T23:00:00Z'), [
      '2026-03-28T21:00:00.000Z',
      '2026-03-29T04:00:00.000Z',
    ]);
    assert.ok(frozen([nightly], '2026-03-29T03:59:00Z'), '05:59 CEST');
    assert.equal(frozen([nightly], '2026-03-29T04:00:00Z'), undefined, '06:00 CEST');
    assert.equal(frozen([nightly], '2026-03-29T04:30:00Z'), undefined, '06:30 CEST, 05:30 on the old clock');
    // The night after: 22:00 and 06:00 CEST.
    assert.deepEqual(frozen([nightly], '2026-03-29T21:00:00Z'), [
      '2026-03-29T20:00:00.000Z',
      '2026-03-30T04:00:00.000Z',
    ]);
  });

  it('a nightly window across the October change in Berlin (25 Oct 2026, 03:00 → 02:00)', () => {
    assert.deepEqual(frozen([nightly], '2026-10-24T22:00:00Z'), [
      '2026-10-24T20:00:00.000Z',
      '2026-10-25T05:00:00.000Z',
    ]);
    assert.ok(frozen([nightly], '2026-10-25T04:30:00Z'), '05:30 CET, 06:30 on the old clock');
    assert.equal(frozen([nightly], '2026-10-25T05:00:00Z'), undefined, '06:00 CET');
    assert.deepEqual(frozen([nightly], '2026-10-25T22:00:00Z'), [
      '2026-10-25T21:00:00.000Z',
      '2026-10-26T05:00:00.000Z',
    ]);
  });

  it('a weekend window spanning either change ends at Monday 08:00 on the new clock', () => {
    assert.deepEqual(frozen([weekend], '2026-03-28T12:00:00Z'), [
      '2026-03-27T15:00:00.000Z',
      '2026-03-30T06:00:00.000Z',
    ]);
    assert.deepEqual(frozen([weekend], '2026-10-24T12:00:00Z'), [
      '2026-10-23T14:00:00.000Z',
      '2026-10-26T07:00:00.000Z',
    ]);
  });

  it('a nightly window in New York across the US changes (8 Mar and 1 Nov 2026)', () => {
    const ny = { ...nightly, timezone: 'America/New_York' };
    // 22:00 EST to 06:00 EDT.
    assert.deepEqual(frozen([ny], '2026-03-08T05:00:00Z'), [
      '2026-03-08T03:00:00.000Z',
      '2026-03-08T10:00:00.000Z',
    ]);
    assert.equal(frozen([ny], '2026-03-08T10:00:00Z'), undefined);
    // 22:00 EDT to 06:00 EST.
    assert.deepEqual(frozen([ny], '2026-11-01T05:00:00Z'), [
      '2026-11-01T02:00:00.000Z',
      '2026-11-01T11:00:00.000Z',
    ]);
    assert.ok(frozen([ny], '2026-11-01T10:59:00Z'), '05:59 EST');
    assert.equal(frozen([ny], '2026-11-01T11:00:00Z'), undefined);
  });

  it('a start in the skipped hour (02:30 on 29 Mar in Berlin) happens at 03:30 CEST, the same instant', () => {
    const early = recurring('30 2 * * *', '0 5 * * *', { name: 'early' });
    assert.equal(frozen([early], '2026-03-29T01:15:00Z'), undefined, '03:15 CEST');
    const span = ['2026-03-29T01:30:00.000Z', '2026-03-29T03:00:00.000Z'];
    assert.deepEqual(frozen([early], '2026-03-29T01:30:00Z'), span, '03:30 CEST');
    assert.deepEqual(frozen([early], '2026-03-29T02:00:00Z'), span, '04:00 CEST');
    assert.equal(frozen([early], '2026-03-29T03:00:00Z'), undefined, '05:00 CEST');
    // The nights either side are untouched.
    assert.deepEqual(frozen([early], '2026-03-28T02:00:00Z'), [
      '2026-03-28T01:30:00.000Z',
      '2026-03-28T04:00:00.000Z',
    ]);
    assert.deepEqual(frozen([early], '2026-03-30T01:00:00Z'), [
      '2026-03-30T00:30:00.000Z',
      '2026-03-30T03:00:00.000Z',
    ]);
    const next = upcomingFreezes([early], 'production', at('2026-03-28T12:00:00Z'), 86_400_000);
    assert.deepEqual(
      next.map((f) => f.since.toISOString()),
      ['2026-03-29T01:30:00.000Z'],
    );
  });

  it('a start in the repeated hour (02:30 on 25 Oct in Berlin) happens at the first 02:30', () => {
    const early = recurring('30 2 * * *', '0 5 * * *', { name: 'early' });
    const span = ['2026-10-25T00:30:00.000Z', '2026-10-25T04:00:00.000Z'];
    assert.equal(frozen([early], '2026-10-25T00:15:00Z'), undefined, '02:15 CEST');
    assert.deepEqual(frozen([early], '2026-10-25T00:30:00Z'), span, '02:30 CEST');
    assert.deepEqual(frozen([early], '2026-10-25T01:45:00Z'), span, '02:45 CET');
    assert.equal(frozen([early], '2026-10-25T04:00:00Z'), undefined, '05:00 CET');
  });
});

describe('freezes: one-off ranges', () => {
  const holidays = once('2026-12-19T23:00:00Z', '2027-01-03T23:00:00Z');

  it('apply from `from` up to, not including, `to`', () => {
    assert.equal(frozen([holidays], '2026-12-19T22:59:59Z'), undefined);
    assert.deepEqual(frozen([holidays], '2026-12-19T23:00:00Z'), [
      '2026-12-19T23:00:00.000Z',
      '2027-01-03T23:00:00.000Z',
    ]);
    assert.ok(frozen([holidays], '2027-01-03T22:59:59Z'));
    assert.equal(frozen([holidays], '2027-01-03T23:00:00Z'), undefined);
  });
});

describe('freezes: which windows apply', () => {
  it('disabled windows never apply', () => {
    assert.equal(frozen([{ ...weekend, enabled: false }], '2026-11-28T12:00:00Z'), undefined);
  });

  it('environments and commands filter', () => {
    const prodOnly = { ...weekend, environments: ['production'] };
    const saturday = '2026-11-28T12:00:00Z';
    assert.ok(frozen([prodOnly], saturday));
    assert.equal(frozen([prodOnly], saturday, { environment: 'staging', command: 'deploy' }), undefined);
    assert.ok(frozen([weekend], saturday, { environment: 'staging', command: 'deploy' }), 'default: all');
    assert.ok(frozen([weekend], saturday, { environment: 'production', command: 'rollback' }));
    assert.equal(frozen([weekend], saturday, { environment: 'production', command: 'build' }), undefined);
    const all = { ...weekend, commands: ['*'] };
    assert.ok(frozen([all], saturday, { environment: 'production', command: 'build' }));
  });

  it('of several, the one that ends last wins', () => {
    const long = once('2026-11-20T00:00:00Z', '2026-12-05T00:00:00Z', { name: 'audit' });
    const saturday = '2026-11-28T12:00:00Z';
    assert.equal(activeFreeze([weekend, long], deploy, at(saturday))?.window.name, 'audit');
    assert.equal(activeFreeze([long, weekend], deploy, at(saturday))?.window.name, 'audit');
    const short = once('2026-11-20T00:00:00Z', '2026-11-29T00:00:00Z', { name: 'short' });
    assert.equal(activeFreeze([short, weekend], deploy, at(saturday))?.window.name, 'weekend');
  });
});

describe('freezes: sentences', () => {
  it('name the environment, the window and when it ends, in the window’s own time zone', () => {
    const active = activeFreeze([weekend], deploy, at('2026-11-28T12:00:00Z'));
    assert.ok(active);
    assert.equal(
      freezeSentence(active),
      '`production` is frozen (weekend: Fri 16:00 – Mon 08:00 Europe/Berlin) until Mon 30 Nov 08:00 Europe/Berlin: no deploys over the weekend.',
    );
    const ny = activeFreeze(
      [{ ...weekend, timezone: 'America/New_York' }],
      deploy,
      at('2026-11-30T10:00:00Z'),
    );
    assert.ok(ny);
    assert.match(
      freezeSentence(ny),
      /\(weekend: Fri 16:00 – Mon 08:00 America\/New_York\) until Mon 30 Nov 08:00/,
    );
  });

  it('a nightly window shows times only; a one-off its name; a trailing full stop is not doubled', () => {
    const night = activeFreeze([{ ...nightly, reason: 'backups run.' }], deploy, at('2026-03-28T23:00:00Z'));
    assert.ok(night);
    assert.equal(
      freezeSentence(night),
      '`production` is frozen (nightly: 22:00 – 06:00 Europe/Berlin) until Sun 29 Mar 06:00 Europe/Berlin: backups run.',
    );
    const holidays = once('2026-12-19T23:00:00Z', '2027-01-03T23:00:00Z', { timezone: 'Europe/Berlin' });
    const active = activeFreeze(
      [holidays],
      { environment: 'staging', command: 'deploy' },
      at('2026-12-24T12:00:00Z'),
    );
    assert.ok(active);
    assert.equal(
      freezeSentence(active),
      '`staging` is frozen (year-end) until Mon 4 Jan 00:00 Europe/Berlin.',
    );
  });

  it('the break-glass hint names the roles, or says nobody can', () => {
    const active = activeFreeze([weekend], deploy, at('2026-11-28T12:00:00Z'));
    assert.ok(active);
    assert.equal(breakGlassHint(active), 'Nobody can break the `weekend` freeze; wait until it ends.');
    const one = { ...active, window: { ...weekend, breakGlass: { roles: ['sre'] } } };
    assert.equal(
      breakGlassHint(one),
      'Someone with the `sre` role can approve a break-glass deploy during the `weekend` freeze.',
    );
    const three = { ...active, window: { ...weekend, breakGlass: { roles: ['sre', 'lead', 'cto'] } } };
    assert.match(breakGlassHint(three), /with the `sre`, `lead` or `cto` role can approve/);
  });
});

describe('freezes: upcoming', () => {
  it('lists the next starts within the horizon, soonest first', () => {
    const holidays = once('2026-12-19T23:00:00Z', '2027-01-03T23:00:00Z');
    const thursday = at('2026-11-26T12:00:00Z');
    const week = 7 * 86_400_000;
    const soon = upcomingFreezes(
      [holidays, weekend, { ...nightly, enabled: false }],
      'production',
      thursday,
      week,
    );
    assert.deepEqual(
      soon.map((f) => [f.window.name, f.since.toISOString(), f.until.toISOString()]),
      [['weekend', '2026-11-27T15:00:00.000Z', '2026-11-30T07:00:00.000Z']],
    );
    const later = upcomingFreezes([holidays, weekend], 'production', thursday, 30 * 86_400_000);
    assert.deepEqual(
      later.map((f) => f.window.name),
      ['weekend', 'year-end'],
    );
  });
});
