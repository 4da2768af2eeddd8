/** Masks secrets in text that leaves deckhand: configured values and well-known token shapes. */

const shapes: RegExp[] = [
  /xox[abposr]-[A-Za-z0-9-]{10,}/g, // Slack tokens
  /xapp-[A-Za-z0-9-]{10,}/g, // Slack app-level tokens
  /gh[pousr]_[A-Za-z0-9]{20,}/g, // GitHub tokens
  /github_pat_[A-Za-z0-9_]{20,}/g,
  /glpat-[A-Za-z0-9_-]{16,}/g, // GitLab personal access tokens
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, // AWS access key ids
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, // JWTs
];

/** `password=…`, `token: …`, `secret="…"` pairs keep their name and lose their value. */
const pairs =
  /\b([A-Za-z0-9_-]*(?:password|passwd|secret|token|api[_-]?key)[A-Za-z0-9_-]*)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s"',;]+)/gi;

export const MASK = '[redacted]';

export class Redactor {
  private readonly values: string[];

  /** `secrets`: exact values to mask wherever they appear (shorter than 6 characters are ignored). */
  constructor(secrets: Iterable<string | undefined> = []) {
    this.values = [
      ...new Set([...secrets].filter((s): s is string => typeof s === 'string' && s.length >= 6)),
    ].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const value of this.values) out = out.split(value).join(MASK);
    for (const shape of shapes) out = out.replace(shape, MASK);
    return out.replace(pairs, (_, name: string, sep: string) => `${name}${sep}${MASK}`);
  }
}
