#!/usr/bin/env node
// Runs the bundle `npm run build` wrote to dist/ when it is newer than every source file;
// otherwise runs the TypeScript sources through tsx, so a fresh clone needs no build step.
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Newest modification time under a folder, in ms. */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = `${dir}/${entry.name}`;
    latest = Math.max(latest, entry.isDirectory() ? newest(file) : statSync(file).mtimeMs);
  }
  return latest;
}

function freshBundle() {
  if (process.env.DECKHAND_FROM_SOURCE) return false;
  try {
    return statSync(`${root}dist/main.js`).mtimeMs >= newest(`${root}src`);
  } catch {
    return false;
  }
}

if (freshBundle()) {
  await import('../dist/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
