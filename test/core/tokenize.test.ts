import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UserError } from '../../src/core/errors.ts';
import { tokenize } from '../../src/core/tokenize.ts';

describe('tokenize', () => {
  const cases: [string, string[]][] = [
    ['/ci build main', ['/ci', 'build', 'main']],
    ['  /ci   build\tmain  ', ['/ci', 'build', 'main']],
    ['/ci deploy "a b"', ['/ci', 'deploy', 'a b']],
    ["/ci deploy 'x y' z", ['/ci', 'deploy', 'x y', 'z']],
    ['/ci test --branch=feature/x', ['/ci', 'test', '--branch=feature/x']],
    ['/ci build a=b;c', ['/ci', 'build', 'a=b;c']],
    ['/ci build $(rm -rf /)', ['/ci', 'build', '$(rm', '-rf', '/)']],
    ['/ci build "$(rm -rf /)"', ['/ci', 'build', '$(rm -rf /)']],
    ['/ci build `id`', ['/ci', 'build', '`id`']],
    ['/ci build main; rm -rf /', ['/ci', 'build', 'main;', 'rm', '-rf', '/']],
    ['/ci build ünïcødé-🚀', ['/ci', 'build', 'ünïcødé-🚀']],
    ['/ci deploy “quoted smart”', ['/ci', 'deploy', 'quoted smart']],
    ['/ci deploy ‘single smart’', ['/ci', 'deploy', 'single smart']],
    ['/ci build a\\ b', ['/ci', 'build', 'a b']],
    ['/ci build ""', ['/ci', 'build', '']],
    ['/ci build pre"mid dle"post', ['/ci', 'build', 'premid dlepost']],
    ['/ci build "it\'s"', ['/ci', 'build', "it's"]],
    ['', []],
  ];
  for (const [input, expected] of cases) {
    it(`splits ${JSON.stringify(input)}`, () => assert.deepEqual(tokenize(input), expected));
  }

  it('rejects an unclosed quote with a clear message', () => {
    assert.throws(
      () => tokenize('/ci deploy "staging'),
      (e: unknown) => {
        assert.ok(e instanceof UserError);
        assert.match(e.message, /Unclosed quote "/);
        return true;
      },
    );
  });
});
