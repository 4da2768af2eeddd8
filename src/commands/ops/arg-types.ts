/** The argument types of runbooks: one per argument, from its `values:` or `pattern:`. */
import type { RunbookArgument, RunbooksConfig } from '../../config/runbooks.ts';
import { oneOf } from '../../core/commands/arg-types.ts';
import { UserError } from '../../core/errors.ts';
import type { ArgType } from '../../core/family.ts';

/** The type name of a runbook's argument (`restart.service`). */
export const argTypeName = (runbook: string, arg: string) => `${runbook}.${arg}`;

/** The longest value a runbook argument takes. */
const maxLength = 200;

function argType(a: RunbookArgument): ArgType {
  const pattern = a.pattern === undefined ? undefined : new RegExp(`^(?:${a.pattern})$`, 'u');
  return {
    check(value, _spec, context) {
      if (value.length > maxLength)
        throw new UserError(`${a.name} is at most ${maxLength} characters; this one has ${value.length}.`);
      if (a.name === 'environment') oneOf('environment', value, context.environments, 'Environments');
      if (a.values) return oneOf(a.name, value, a.values, 'Allowed values');
      if (pattern && !pattern.test(value))
        throw new UserError(`\`${value}\` is not a valid ${a.name}: it must match \`${a.pattern}\`.`);
      return value;
    },
  };
}

/** Every runbook argument's type, by `argTypeName`. */
export function runbookArgTypes(runbooks: RunbooksConfig): Record<string, ArgType> {
  const out: Record<string, ArgType> = {};
  for (const [name, r] of Object.entries(runbooks)) {
    for (const a of r.args) out[argTypeName(name, a.name)] = argType(a);
    if (r.environment)
      out[argTypeName(name, 'environment')] = argType({
        name: 'environment',
        description: '',
        values: [r.environment],
        optional: true,
      });
  }
  return out;
}
