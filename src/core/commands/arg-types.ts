/** The argument types every family may use; families add their own (see CommandFamily.argTypes). */
import { UserError } from '../errors.ts';
import type { ArgType } from '../family.ts';
import { closest } from '../suggest.ts';

/** Accepts `value` when `list` holds it; otherwise says what the list holds, with a guess. */
export function oneOf(kind: string, value: string, list: readonly string[], plural: string): string {
  if (list.includes(value)) return value;
  const guess = closest(value, list);
  const hint = guess ? ` Did you mean \`${guess}\`?` : '';
  const all = list.length ? ` ${plural}: ${list.join(', ')}.` : ` No ${plural.toLowerCase()} are configured.`;
  throw new UserError(`Unknown ${kind} \`${value}\`.${hint}${all}`);
}

/** The longest free text an argument takes unless its spec says otherwise (`max`). */
const TEXT_MAX = 500;

export const coreArgTypes: Readonly<Record<string, ArgType>> = {
  text: {
    check(value, spec) {
      const max = spec.max ?? TEXT_MAX;
      if (value.length > max)
        throw new UserError(`${spec.name} is at most ${max} characters; this one has ${value.length}.`);
      return value;
    },
  },
  count: {
    check(value, spec) {
      const n = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
      const range = spec.max === undefined ? 'of at least 1' : `from 1 to ${spec.max}`;
      if (!(n >= 1 && n <= (spec.max ?? Number.MAX_SAFE_INTEGER)))
        throw new UserError(`${spec.name} must be a whole number ${range}; \`${value}\` is not.`);
      return String(n);
    },
  },
  environment: {
    check: (value, _spec, c) => oneOf('environment', value, c.environments, 'Environments'),
  },
  command: { check: (value, _spec, c) => oneOf('command', value, c.commands, 'Commands') },
};
