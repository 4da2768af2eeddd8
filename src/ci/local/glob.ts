/** A small file matcher for workspace-relative patterns with `*`, `?` and `**`. */
import { type Dirent, readdirSync } from 'node:fs';
import path from 'node:path';

/** Stops a pathological pattern from walking a huge tree. */
const maxEntries = 50_000;

function segmentRegex(segment: string): RegExp {
  const body = segment
    .split('')
    .map((ch) => {
      if (ch === '*') return '[^/]*';
      if (ch === '?') return '[^/]';
      return ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${body}$`);
}

function listDir(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** Files under `root` matching any pattern, as absolute paths, sorted and without duplicates. */
export function matchFiles(root: string, patterns: string[]): string[] {
  const found = new Set<string>();
  let budget = maxEntries;
  const walk = (dir: string, parts: string[]): void => {
    if (budget <= 0) return;
    const [head, ...rest] = parts;
    if (head === undefined) return;
    if (head === '**') {
      walk(dir, rest);
      for (const entry of listDir(dir)) {
        budget -= 1;
        if (entry.isDirectory()) walk(path.join(dir, entry.name), parts);
      }
      return;
    }
    const regex = segmentRegex(head);
    for (const entry of listDir(dir)) {
      budget -= 1;
      if (!regex.test(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (rest.length === 0) {
        if (entry.isFile()) found.add(full);
      } else if (entry.isDirectory()) {
        walk(full, rest);
      }
    }
  };
  for (const pattern of patterns) {
    const parts = pattern.split('/').filter((p) => p !== '' && p !== '.');
    if (path.isAbsolute(pattern) || parts.includes('..')) continue;
    walk(root, parts);
  }
  return [...found].sort();
}
