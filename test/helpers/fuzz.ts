/** The fuzz tests' shared parts: a seeded generator of malformed bodies and the answers no case may give. */
import assert from 'node:assert/strict';

/** mulberry32: the same cases on every run. */
function generator(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = generator(0xdec4a11d);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

const junk: unknown[] = [
  null,
  0,
  -1,
  1e308,
  true,
  [],
  {},
  '',
  'x'.repeat(70_000),
  '\u0000\u0001',
  '$(touch /tmp/deckhand-fuzz); `id`',
  '../../../etc/passwd',
  { nested: { deeper: [1, { a: null }] } },
  [null, [], {}],
  '😀'.repeat(500),
  '2026-13-45T99:99:99Z',
];

/** `value` with one part (a leaf, an object or an array) replaced by junk, chosen at random. */
function mutate(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || rand() < 0.15) return pick(junk);
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...value };
  const keys = Object.keys(copy);
  if (keys.length === 0) return pick(junk);
  const key = pick(keys);
  if (rand() < 0.1) delete (copy as Record<string, unknown>)[key];
  else (copy as Record<string, unknown>)[key] = mutate((copy as Record<string, unknown>)[key]);
  return copy;
}

const truncated = (text: string) => text.slice(0, Math.floor(rand() * text.length));
const randomBytes = () =>
  Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 2000) }, () => Math.floor(rand() * 256)));

export interface Answer {
  statusCode: number;
  body: string;
}
/** Statuses seen per endpoint, to show both acceptance and refusal were exercised. */
export const seen = new Map<string, Set<number>>();

/** The answers a case must not give. */
export function check(name: string, res: Answer): void {
  assert.ok(res.statusCode < 500, `${name}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  assert.doesNotMatch(res.body, /Something went wrong|failed on its side/, `${name}: a generic error reply`);
  const endpoint = name.split(' ')[0] as string;
  seen.set(endpoint, new Set([...(seen.get(endpoint) ?? []), Math.floor(res.statusCode / 100)]));
}

/** Counts records whose handling failed after they were acknowledged (each failure is a retry). */
export function failures(stores: { intake: { retry: (...a: never[]) => Promise<void> } }): () => number {
  let count = 0;
  const retry = stores.intake.retry;
  stores.intake.retry = (...args) => {
    count++;
    return retry(...args);
  };
  return () => count;
}

/** The bodies every endpoint gets: each (raw text) is then signed correctly, or not, by the endpoint. */
export function bodies(sample: unknown): { name: string; body: string | Buffer }[] {
  const text = JSON.stringify(sample);
  return [
    ...Array.from({ length: 40 }, (_, i) => ({ name: `mutated ${i}`, body: JSON.stringify(mutate(sample)) })),
    ...Array.from({ length: 8 }, (_, i) => ({ name: `truncated ${i}`, body: truncated(text) })),
    ...Array.from({ length: 4 }, (_, i) => ({ name: `random bytes ${i}`, body: randomBytes() })),
    { name: 'wrong top-level type', body: JSON.stringify([sample]) },
    { name: 'empty', body: '' },
  ];
}

export const CASES_PER_ENDPOINT = 54;

/** An object as a form body (values that are not strings as JSON); anything else as text. */
export const form = (o: unknown) =>
  o && typeof o === 'object' && !Array.isArray(o)
    ? new URLSearchParams(
        Object.entries(o).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
      ).toString()
    : String(o);

export function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
