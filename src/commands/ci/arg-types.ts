/** The argument types of the `/ci` commands, beyond the core's. */
import { oneOf } from '../../core/commands/arg-types.ts';
import { UserError } from '../../core/errors.ts';
import type { ArgType } from '../../core/family.ts';
import { refNameProblem, versionKind } from '../../core/refs.ts';

export const ciArgTypes: Readonly<Record<string, ArgType>> = {
  branch: {
    check(value) {
      const problem = refNameProblem(value);
      if (problem) throw new UserError(`\`${value}\` is not a valid branch name: ${problem}.`);
      return value;
    },
  },
  version: {
    check(value) {
      if (!versionKind(value)) {
        throw new UserError(
          `\`${value}\` is not a valid version: use a tag (v2.1.0), a semantic version or a commit SHA.`,
        );
      }
      return value;
    },
  },
  suite: {
    check: (value, _spec, c) => oneOf('test suite', value, c.services.catalog.suites, 'Suites'),
  },
  'run-id': {
    check(value) {
      const id = value.replace(/^#/, '');
      if (!/^\d{1,12}$/.test(id))
        throw new UserError(`\`${value}\` is not a run number; write it like \`12\` or \`#12\`.`);
      return String(Number(id));
    },
  },
};
