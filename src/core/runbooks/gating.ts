/** A runbook's `confirm:` and `approvals:` as the gates read them. */
import type { RunbooksConfig } from '../../config/runbooks.ts';
import type { Gating } from '../core.ts';

/** The gates' settings with each runbook's confirmation and approvals added. */
export function withRunbookGates(gating: Gating, runbooks: RunbooksConfig): Gating {
  const entries = Object.entries(runbooks);
  if (entries.length === 0) return gating;
  const confirm = entries.filter(([, r]) => r.confirm).map(([name]) => name);
  const approvals = Object.fromEntries(
    entries.flatMap(([name, r]) =>
      r.approvals
        ? [[name, { count: r.approvals.count, roles: r.approvals.roles, channel: r.approvals.channel }]]
        : [],
    ),
  );
  return {
    ...gating,
    config: {
      ...gating.config,
      confirmCommands: [...gating.config.confirmCommands, ...confirm],
      commandApprovals: { ...gating.config.commandApprovals, ...approvals },
    },
  };
}
