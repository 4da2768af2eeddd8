/** Severities as alert senders write them, read as 1 (worst) to 5. */

const words: Record<string, number> = {
  critical: 1,
  page: 1,
  emergency: 1,
  high: 2,
  error: 2,
  major: 2,
  warning: 3,
  warn: 3,
  medium: 3,
  minor: 4,
  low: 4,
  info: 5,
  informational: 5,
  none: 5,
};

/** `critical`, `P1`, `sev2`, `SEV-3`, `4` → a number from 1 to 5; anything else is undefined. */
export function parseSeverity(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim().toLowerCase();
  const numbered = /^(?:p|sev-?|s)?([1-5])$/.exec(text);
  if (numbered) return Number(numbered[1]);
  return words[text];
}

/** `SEV1`. */
export const severityLabel = (severity: number) => `SEV${severity}`;
