/** Masks secrets in text that leaves deckhand: configured values and well-known token shapes. */

const shapes = [
  /xox[abposr]-[A-Za-z0-9-]{10,}/g, // Slack tokens
  /xapp-[A-Za-z0-9-]{10,}/g, // Slack app-level tokens
  /gh[pousr]_[A-Za-z0-9]{20,}/g, // GitHub tokens
  /github_pat_[A-Za-z0-9_]{20,}/g,
  /glpat-[A-Za-z0-9_-]{16,}/g, // GitLab personal access tokens
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, // AWS access key ids
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, // JWTs
];

/** Every shape in one pass over the text. */
const anyShape = new RegExp(shapes.map((s) => `(?:${s.source})`).join('|'), 'g');

/** `password=…`, `token: …`, `secret="…"` pairs keep their name and lose their value. */
const pairs =
  /\b([A-Za-z0-9_-]*(?:password|passwd|secret|token|api[_-]?key)[A-Za-z0-9_-]*)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s"',;]+)/gi;

/** Cheap test first: the pairs pattern is slow, and most text names no secret. */
const pairHint = /passw|secret|token|api[_-]?key/i;

/** Nothing shorter can hold a configured value (6+ characters), a shape or a pair. */
const SHORTEST = 6;

export const MASK = '[redacted]';

/**
 * A configured value inside a longer token masks the whole token (`xoxb-<secret>-zzz`, a URL's
 * `user:<secret>xyz@host`): a token is the longest run around the value of ASCII letters, digits
 * and `_-.~+%`, and `=` after it (base64 padding, `k=v` joined on). Everything else separates —
 * spaces, quotes, `/:@?&#,;` and brackets — so a URL loses only the part that held the value, and
 * `name=<secret>` keeps its name.
 */
const TOKEN = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.~+%')
  TOKEN[c.charCodeAt(0)] = 1;
const EQUALS = '='.charCodeAt(0);
const tokenBefore = (text: string, i: number) => TOKEN[text.charCodeAt(i)] === 1;
const tokenAfter = (text: string, i: number) => {
  const code = text.charCodeAt(i);
  return TOKEN[code] === 1 || code === EQUALS;
};

/** Where a token around `at` starts: `at` itself unless it falls inside one (`=` counts as inside). */
export function tokenStart(text: string, at: number): number {
  if (at <= 0 || at >= text.length || !tokenAfter(text, at) || !tokenAfter(text, at - 1)) return at;
  let start = at;
  while (start > 0 && tokenAfter(text, start - 1)) start--;
  return start;
}

export class Redactor {
  private values: string[] = [];

  /** `secrets`: exact values to mask wherever they appear (shorter than 6 characters are ignored). */
  constructor(secrets: Iterable<string | undefined> = []) {
    this.add(secrets);
  }

  /** Adds values to mask (e.g. secrets an adapter resolved after start-up). */
  add(secrets: Iterable<string | undefined>): void {
    const given = [...secrets].filter((s): s is string => typeof s === 'string' && s.length >= 6);
    // As they appear inside JSON text too (a quote or a backslash escaped), for `redactJson`.
    const fresh = given.flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]);
    this.values = [...new Set([...this.values, ...fresh])].sort((a, b) => b.length - a.length);
  }

  /** The configured values it masks, longest first (for redacting output that comes in pieces). */
  secrets(): readonly string[] {
    return this.values;
  }

  /** Masks strings anywhere inside a value (objects, arrays, errors), leaving its shape. */
  redactValue<T>(value: T, depth = 0): T {
    if (typeof value === 'string') return this.redact(value) as T;
    if (depth > 8 || value === null || typeof value !== 'object') return value;
    if (value instanceof Error) {
      const copy = new Error(this.redact(value.message));
      copy.name = value.name;
      copy.stack = value.stack ? this.redact(value.stack) : undefined;
      return copy as T;
    }
    if (value instanceof Date) return value;
    if (Array.isArray(value)) return value.map((v) => this.redactValue(v, depth + 1)) as T;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = this.redactValue(v, depth + 1);
    return out as T;
  }

  /**
   * `value` with its secrets masked, for storing as JSON: its JSON text is searched in one pass
   * (cheaper than string by string); the value comes back as it was when nothing was found, and
   * string by string when masking the text did not leave valid JSON (a secret inside a number).
   */
  redactJson<T>(value: T): T {
    const text = JSON.stringify(value);
    if (text === undefined) return value;
    const masked = this.redact(text);
    if (masked === text) return value;
    try {
      return JSON.parse(masked) as T;
    } catch {
      return this.redactValue(value);
    }
  }

  redact(text: string): string {
    if (text.length < SHORTEST) return text;
    let out = this.maskValues(text);
    out = out.replace(anyShape, MASK);
    if (!pairHint.test(out)) return out;
    return out.replace(pairs, (_, name: string, sep: string) => `${name}${sep}${MASK}`);
  }

  /** Masks each configured value with the token it is part of; overlapping tokens as one. */
  private maskValues(text: string): string {
    const spans: [number, number][] = [];
    for (const value of this.values) {
      for (let at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + value.length)) {
        let start = at;
        let end = at + value.length;
        while (start > 0 && tokenBefore(text, start - 1)) start--;
        while (end < text.length && tokenAfter(text, end)) end++;
        spans.push([start, end]);
      }
    }
    if (spans.length === 0) return text;
    spans.sort((a, b) => a[0] - b[0]);
    let out = '';
    let done = 0;
    for (const [start, end] of spans) {
      if (end <= done) continue;
      if (start >= done) out += text.slice(done, start) + MASK;
      done = end;
    }
    return out + text.slice(done);
  }
}
