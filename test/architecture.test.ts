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

describe('shape', () => {
  it('the core imports nothing from the edges, the store or platform SDKs', () => {
    const offenders: string[] = [];
    for (const file of files('src/core')) {
      for (const spec of importsOf(file)) {
        const edge = /^(\.\.\/)+(chat|ci|server|alerts|cli|store)\//.test(spec);
        const sdk = /^(fastify|@slack|@octokit|@gitbeaker|discord|better-sqlite3|kysely|pg|pino)/.test(spec);
        if (edge || sdk) offenders.push(`${file} imports ${spec}`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('adapters do not import each other', () => {
    const offenders: string[] = [];
    for (const folder of ['src/chat', 'src/ci']) {
      for (const file of files(folder)) {
        const own = file.split(path.sep).slice(0, 3).join('/');
        for (const spec of importsOf(file)) {
          const target = path.join(path.dirname(file), spec);
          // The adapter contract and helpers at the top of src/ci are shared on purpose.
          const contract = path.dirname(target) === 'src/ci';
          const edge = target.startsWith('src/chat/') || target.startsWith('src/ci/');
          if (spec.startsWith('.') && edge && !target.startsWith(`${own}/`) && !contract) {
            offenders.push(`${file} imports ${spec}`);
          }
        }
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('no source file grows past 400 lines', () => {
    const long = files('src')
      .map((f) => [f, readFileSync(f, 'utf8').split('\n').length] as const)
      .filter(([, n]) => n > 400);
    assert.deepEqual(long, []);
  });
});
