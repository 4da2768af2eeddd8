/** A family's default and fallback commands must be commands it has; /oncall's are `now`. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { oncallFamily } from '../../../src/commands/oncall/index.ts';
import { Families } from '../../../src/core/commands/families.ts';
import type { CommandServices } from '../../../src/core/family.ts';

// The constructor only keeps the services for the handlers; none runs here.
const services = {} as CommandServices;

describe('default and fallback commands', () => {
  it('are told to the family info', () => {
    const families = new Families([oncallFamily], services);
    assert.equal(families.family('oncall')?.defaultCommand, 'now');
    assert.equal(families.family('oncall')?.fallbackCommand, 'now');
  });

  for (const key of ['defaultCommand', 'fallbackCommand'] as const) {
    it(`a ${key} the family lacks is refused when the families are built`, () => {
      assert.throws(
        () => new Families([{ ...oncallFamily, [key]: 'later' }], services),
        /\/oncall names "later" as its default or fallback command, but has no such command\./,
      );
    });
  }
});
