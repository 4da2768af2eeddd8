import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

const importsOf = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map(
    (m) => m[1] as string,
  );

/** Relative imports of a file, as paths from the repository root (`src/chat/slack/index.ts`). */
const targetsOf = (file: string) =>
  importsOf(file)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => path.join(path.dirname(file), spec).split(path.sep).join('/'));

/** The four kinds of module: one folder each under these. */
const kinds = ['src/chat', 'src/ci', 'src/commands', 'src/store'];

/** `src/chat/slack` for a file in a module's folder; undefined for shared files and everything else. */
function moduleOf(file: string): string | undefined {
  const parts = file.split(/[\\/]/);
  const kind = parts.slice(0, 2).join('/');
  // The SQL migrations are shared by the store drivers, not a driver of their own.
  const shared = parts[2] === 'migrations';
  return kinds.includes(kind) && parts.length > 3 && !shared ? parts.slice(0, 3).join('/') : undefined;
}

const sdk =
  /^(fastify|@slack|@octokit|@gitbeaker|@microsoft|@discordjs|discord|better-sqlite3|kysely|pg|pino)/;

/** Groups of files that import each other, directly or around a circle (Tarjan's algorithm). */
function cycles(graph: Map<string, string[]>): string[][] {
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (file: string) => {
    order.set(file, order.size);
    low.set(file, order.get(file) as number);
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!order.has(next)) visit(next);
      if (stack.includes(next)) low.set(file, Math.min(low.get(file) as number, low.get(next) as number));
    }
    if (low.get(file) !== order.get(file)) return;
    const group = stack.splice(stack.indexOf(file));
    if (group.length > 1 || graph.get(file)?.includes(file)) found.push(group.sort());
  };
  for (const file of graph.keys()) if (!order.has(file)) visit(file);
  return found;
}

/** Import cycles that predate the check, in a part another change owns: remove one once broken. */
const knownCycles: string[] = [];

describe('shape', () => {
  it('the core imports no module, no edge, no store and no platform SDK', () => {
    const offenders: string[] = [];
    for (const file of files('src/core')) {
      for (const target of targetsOf(file)) {
        if (/^src\/(chat|ci|commands|store|server|modules|cli|alerts)\//.test(target))
          offenders.push(`${file} imports ${target}`);
      }
      for (const spec of importsOf(file)) if (sdk.test(spec)) offenders.push(`${file} imports ${spec}`);
    }
    assert.deepEqual(offenders, []);
  });

  it('no module imports another module, the assembly or the list of modules', () => {
    const offenders: string[] = [];
    for (const kind of kinds) {
      for (const file of files(kind)) {
        const own = moduleOf(file);
        for (const target of targetsOf(file)) {
          const other = moduleOf(target);
          const foreign = other !== undefined && other !== own;
          const assembly = /^src\/(server|cli)\//.test(target) || target === 'src/modules/builtin.ts';
          if (foreign || assembly) offenders.push(`${file} imports ${target}`);
        }
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('the module contracts import no module', () => {
    const offenders = files('src/modules')
      .filter((file) => !file.endsWith('builtin.ts'))
      .flatMap((file) =>
        targetsOf(file)
          .filter((t) => moduleOf(t))
          .map((t) => `${file} imports ${t}`),
      );
    assert.deepEqual(offenders, []);
  });

  it('the config imports no core, no module and no assembly', () => {
    const offenders = files('src/config').flatMap((file) =>
      targetsOf(file)
        .filter((t) => /^src\/(core|chat|ci|commands|store|server|modules|cli)\//.test(t))
        .map((t) => `${file} imports ${t}`),
    );
    assert.deepEqual(offenders, []);
  });

  it('every module folder is listed once in the built-in list', () => {
    const listed = targetsOf('src/modules/builtin.ts').flatMap((t) => moduleOf(t) ?? []);
    const folders = kinds.flatMap((kind) =>
      readdirSync(kind, { withFileTypes: true })
        .filter((e) => e.isDirectory() && e.name !== 'migrations')
        .map((e) => `${kind}/${e.name}`),
    );
    assert.deepEqual([...listed].sort(), folders.sort());
  });

  it('no import cycle in the core or the config (type imports included)', () => {
    assert.deepEqual(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', ['c', 'a']],
          ['c', ['c']],
          ['d', ['a']],
        ]),
      ),
      [['c'], ['a', 'b']],
      'the check finds a circle and a file importing itself',
    );
    const scope = [...files('src/core'), ...files('src/config')];
    const graph = new Map(scope.map((file) => [file, targetsOf(file).filter((t) => scope.includes(t))]));
    const found = cycles(graph)
      .map((group) => group.join(' '))
      .filter((group) => !knownCycles.includes(group));
    assert.deepEqual(
      found,
      [],
      'these files import each other: move what they share into a file they all import (the core has src/core/types/)',
    );
  });

  it('no source file grows past 400 lines', () => {
    const long = files('src')
      .map((f) => [f, readFileSync(f, 'utf8').split('\n').length] as const)
      .filter(([, n]) => n > 400);
    assert.deepEqual(long, []);
  });
});
