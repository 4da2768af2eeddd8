/** The `/ops` command family: one command per runbook in the config, and help listing yours. */
import type { RunbooksConfig } from '../../config/runbooks.ts';
import { type CommandFamily, defineFamily } from '../../core/family.ts';
import { runbookArgTypes } from './arg-types.ts';
import { opsHelp } from './help.ts';
import { runbookCommand } from './runbook-command.ts';

const summary = 'Run operational runbooks (restart a service, flush a cache…) from chat.';

/** The family with the given runbooks as its commands. */
export function opsFamilyOf(runbooks: RunbooksConfig): CommandFamily {
  return defineFamily({
    root: 'ops',
    summary,
    commands: [...Object.entries(runbooks).map(([name, r]) => runbookCommand(name, r)), opsHelp(runbooks)],
    argTypes: runbookArgTypes(runbooks),
  });
}

/** Listed among the modules; its commands come from `runbooks:` when the assembly builds it. */
export const opsFamily = defineFamily({
  ...opsFamilyOf({}),
  fromConfig: (config) => (Object.keys(config.runbooks).length ? opsFamilyOf(config.runbooks) : undefined),
});
