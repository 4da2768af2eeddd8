import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeRules, satisfied, seatsFilled } from '../../src/core/gates/requirements.ts';
import type { ApprovalRule, Vote } from '../../src/core/store.ts';

const vote = (by: string, ...roles: string[]): Vote => ({ by, at: new Date(0), roles });
const env: ApprovalRule = { roles: ['release-manager'], count: 1, label: 'environment production' };
const glass: ApprovalRule = { roles: ['release-manager'], count: 1, label: 'break-glass weekend' };

describe('approval rules', () => {
  it('one person fills one seat: a break-glass from the same role needs a second approver', () => {
    assert.equal(satisfied([env, glass], [vote('bob', 'release-manager')]), false);
    assert.equal(
      satisfied([env, glass], [vote('bob', 'release-manager'), vote('dave', 'release-manager')]),
      true,
    );
    assert.match(describeRules([env, glass], [vote('bob', 'release-manager')]), /\(1 given\).*\(0 given\)/);
  });

  it('approvers are placed where they fit, so an early vote does not block a later one', () => {
    const sre: ApprovalRule = { roles: ['sre'], count: 1, label: 'break-glass' };
    const either: ApprovalRule = { roles: ['release-manager', 'sre'], count: 1, label: 'environment' };
    // Erin (sre) first takes the "either" seat; Bob can only fill it, so Erin moves to the sre seat.
    const votes = [vote('erin', 'sre'), vote('bob', 'release-manager')];
    assert.deepEqual(seatsFilled([sre, either], votes), [1, 1]);
    assert.equal(satisfied([either, sre], votes), true);
  });

  it('N of M counts distinct approvers with one of the roles', () => {
    const two: ApprovalRule = { roles: ['release-manager'], count: 2, label: 'environment qa' };
    assert.equal(satisfied([two], [vote('bob', 'release-manager'), vote('alice', 'developer')]), false);
    assert.equal(satisfied([two], [vote('bob', 'release-manager'), vote('carol', 'release-manager')]), true);
  });
});
