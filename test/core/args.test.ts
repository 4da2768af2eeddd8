import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ciArgTypes } from '../../src/commands/ci/arg-types.ts';
import { coreArgTypes } from '../../src/core/commands/arg-types.ts';
import { parseArgs as parse } from '../../src/core/commands/parse.ts';
import type { ArgSpec } from '../../src/core/commands/types.ts';
import type { ArgType, CommandServices } from '../../src/core/family.ts';
import { refNameProblem, versionKind } from '../../src/core/refs.ts';

const lists = {
  environments: ['staging', 'production'],
  suites: ['unit', 'integration'],
  commands: ['build', 'deploy'],
};
const spec = (type: string): ArgSpec => ({ name: type, type, description: '' });

type Lists = { environments: string[]; suites: string[]; commands: string[] };
/** Checks a value as the /ci family does (the core's types and its own). */
const checkArg = (spec: ArgSpec, value: string, lists: Lists) => {
  const types = { ...coreArgTypes, ...ciArgTypes };
  const services = { catalog: { suites: lists.suites } } as unknown as CommandServices;
  return (types[spec.type] as ArgType).check(value, spec, { ...lists, services });
};
const parseArgs = (command: Parameters<typeof parse>[0], words: string[], l: Lists) =>
  parse(command, 'ci', words, (s, v) => checkArg(s, v, l), l.environments);

describe('branch names follow git check-ref-format', () => {
  const valid = ['main', 'develop', 'release/1.0', 'feature/ünïcødé', 'a-b_c.d', 'v1.2.3', 'x@y'];
  const invalid: [string, RegExp][] = [
    ['', /empty/],
    ['-rf', /starts with "-"/],
    ['--upload-pack=x', /starts with "-"/],
    ['a..b', /\.\./],
    ['a b', /space/],
    ['a~1', /~/],
    ['a^', /\^/],
    ['a:b', /:/],
    ['a?', /\?/],
    ['a*', /\*/],
    ['a[b', /\[/],
    ['a\\b', /\\/],
    ['/a', /empty path component/],
    ['a/', /empty path component/],
    ['a//b', /empty path component/],
    ['a.', /ends with "."/],
    ['.hidden', /starts with "."/],
    ['x/.y', /starts with "."/],
    ['a.lock', /\.lock/],
    ['a@{1}', /@\{/],
    ['@', /"@"/],
    ['a\u0001b', /control/],
    ['x'.repeat(256), /255/],
  ];
  for (const name of valid) it(`accepts ${name}`, () => assert.equal(refNameProblem(name), undefined));
  for (const [name, why] of invalid) {
    it(`rejects ${JSON.stringify(name.slice(0, 20))}`, () => assert.match(refNameProblem(name) ?? '', why));
  }
});

describe('versions', () => {
  const table: [string, string | undefined][] = [
    ['v2.1.0', 'semver'],
    ['2.1.0', 'semver'],
    ['1.0.0-rc.1+build.5', 'semver'],
    ['3f2c1ab', 'sha'],
    ['3f2c1ab9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3', 'sha'],
    ['release-2024', 'tag'],
    ['..', undefined],
    ['-x', undefined],
    ['v1 2', undefined],
  ];
  for (const [value, kind] of table) it(`${value} → ${kind}`, () => assert.equal(versionKind(value), kind));
});

describe('checkArg', () => {
  it('suggests the closest environment and lists all', () => {
    assert.throws(
      () => checkArg(spec('environment'), 'prod', lists),
      /Unknown environment `prod`. Did you mean `production`\? Environments: staging, production\./,
    );
  });
  it('lists environments when nothing is close', () => {
    assert.throws(
      () => checkArg(spec('environment'), 'qa-eu-west', lists),
      /^Error: Unknown environment `qa-eu-west`. Environments: staging, production\.$|Unknown environment `qa-eu-west`\. Environments: staging, production\./,
    );
  });
  it('checks suites from config', () => {
    assert.equal(checkArg(spec('suite'), 'unit', lists), 'unit');
    assert.throws(() => checkArg(spec('suite'), 'integraton', lists), /Did you mean `integration`/);
  });
  it('normalises run ids', () => {
    assert.equal(checkArg(spec('run-id'), '#12', lists), '12');
    assert.equal(checkArg(spec('run-id'), '007', lists), '7');
    assert.throws(() => checkArg(spec('run-id'), '12; rm', lists), /not a run number/);
  });
  it('rejects shell text as a branch', () => {
    assert.throws(() => checkArg(spec('branch'), '$(touch x)', lists), /not a valid branch name/);
    assert.throws(() => checkArg(spec('branch'), 'main;rm -rf', lists), /not a valid branch name/);
  });
});

describe('parseArgs', () => {
  const test = {
    name: 'test',
    args: [{ name: 'suite', type: 'suite' as const, description: '' }],
    flags: [{ name: 'branch', type: 'branch' as const, description: '' }],
  };
  const deploy = {
    name: 'deploy',
    args: [
      { name: 'environment', type: 'environment' as const, required: true, description: '' },
      { name: 'version', type: 'version' as const, description: '' },
    ],
  };
  it('reads positionals and flags in either form', () => {
    assert.deepEqual(parseArgs(test, ['integration', '--branch', 'develop'], lists), {
      suite: 'integration',
      branch: 'develop',
    });
    assert.deepEqual(parseArgs(test, ['--branch=release/1.0'], lists), { branch: 'release/1.0' });
  });
  it('keeps = inside values literal', () => {
    assert.deepEqual(parseArgs(test, ['--branch=a=b'], lists), { branch: 'a=b' });
  });
  it('names a missing required argument with usage and choices', () => {
    assert.throws(
      () => parseArgs(deploy, [], lists),
      /Missing <environment>\. Usage: `\/ci deploy <environment> \[version\]` Environments: staging, production\./,
    );
  });
  it('rejects unknown options and extra words', () => {
    assert.throws(
      () => parseArgs(test, ['--force'], lists),
      /Unknown option `--force`\. Options: --branch\./,
    );
    assert.throws(() => parseArgs(deploy, ['staging', 'v1.0.0', 'now'], lists), /Too many arguments: `now`/);
    assert.throws(() => parseArgs(test, ['--branch'], lists), /needs a value/);
  });
});

describe('free text has a stated length', () => {
  it('takes up to 500 characters by default, or the spec says how many, and says so when over', () => {
    const reason: ArgSpec = { name: 'reason', type: 'text', description: '' };
    assert.equal(checkArg(reason, 'x'.repeat(500), lists), 'x'.repeat(500));
    assert.throws(
      () => checkArg(reason, 'x'.repeat(501), lists),
      /reason is at most 500 characters; this one has 501\./,
    );
    assert.throws(() => checkArg({ ...reason, max: 10 }, 'x'.repeat(11), lists), /at most 10 characters/);
  });
});
