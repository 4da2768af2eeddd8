import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closest, distance } from '../../src/core/suggest.ts';

describe('did you mean', () => {
  it('counts edits, with a swap of neighbours as one', () => {
    assert.equal(distance('build', 'build'), 0);
    assert.equal(distance('biuld', 'build'), 1);
    assert.equal(distance('buld', 'build'), 1);
    assert.equal(distance('kitten', 'sitting'), 3);
  });
  const commands = ['build', 'test', 'deploy', 'rollback', 'status', 'help'];
  const table: [string, string | undefined][] = [
    ['biuld', 'build'],
    ['buidl', 'build'],
    ['deplyo', 'deploy'],
    ['dep', 'deploy'],
    ['stauts', 'status'],
    ['rolback', 'rollback'],
    ['tset', 'test'],
    ['hlep', 'help'],
    ['xyz', undefined],
    ['destroy', undefined],
  ];
  for (const [input, expected] of table) {
    it(`${input} → ${expected}`, () => assert.equal(closest(input, commands), expected));
  }
});
