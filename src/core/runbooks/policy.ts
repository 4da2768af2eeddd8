/**
 * Who may run a runbook: its `roles:` list, and nobody when it lists none. Holding one of them is
 * the runbook's grant (no `roles.<role>.allow` entry needed); a wildcard grant (`*`, `ops *`) alone
 * is not enough, and `policy.allowEveryone` does not open runbooks. Channel rules still apply.
 */
import type { RunbooksConfig } from '../../config/runbooks.ts';
import type { PersonInfo } from '../people.ts';
import { type Decision, Policy, type PolicyOptions, type PolicyRequest } from '../policy.ts';

export const opsRoot = 'ops';

export class RunbookPolicy extends Policy {
  private runbooks!: RunbooksConfig;
  /** No role grants anything of its own: commands that read still run for everyone, as without runbooks. */
  private noGrants = false;
  private reads = new Set<string>();

  constructor(options: PolicyOptions, runbooks: RunbooksConfig) {
    super(options);
    this.runbooks = runbooks;
    this.replace(options);
  }

  /** Each role a runbook lists is granted `ops <runbook>`. */
  override replace(o: PolicyOptions): void {
    const runbooks = this.runbooks ?? {};
    const roles = Object.fromEntries(Object.entries(o.roles).map(([n, r]) => [n, { allow: [...r.allow] }]));
    for (const [name, r] of Object.entries(runbooks))
      for (const role of r.roles)
        roles[role] = { allow: [...(roles[role]?.allow ?? []), { commands: [`${opsRoot} ${name}`] }] };
    this.noGrants = !o.allowEveryone && Object.values(o.roles).every((r) => r.allow.length === 0);
    this.reads = new Set(o.reading ?? []);
    super.replace({ ...o, roles });
  }

  /** Who may run a runbook, and how to be one of them, before the rest of the policy decides. */
  override decide(request: PolicyRequest): Decision {
    const runbook = request.family === opsRoot ? this.runbooks[request.command] : undefined;
    if (runbook && request.person) {
      const refusal = runbookRefusal(request.command, runbook.roles, request.person);
      if (refusal) return refusal;
    }
    // A runbook's roles are not grants of anything else: reading stays open while no role grants.
    if (!runbook && request.person && this.noGrants && this.reads.has(request.command))
      return { allowed: true, rule: 'read-only', reason: 'it only reads, and no role grants anything yet' };
    return super.decide(request);
  }

  override permissions(person: PersonInfo, family: string, commands: readonly string[]) {
    const out = super.permissions(person, family, commands);
    if (this.noGrants) for (const c of commands) if (this.reads.has(c) && !out.has(c)) out.set(c, undefined);
    if (family !== opsRoot) return out;
    for (const command of commands) {
      const runbook = this.runbooks[command];
      if (runbook && runbookRefusal(command, runbook.roles, person)) out.delete(command);
    }
    return out;
  }
}

/** Why a person may not run a runbook (with how to get access), or undefined when they hold a role it lists. */
export function runbookRefusal(
  name: string,
  roles: readonly string[],
  person: PersonInfo,
): Decision | undefined {
  if (roles.length === 0)
    return {
      allowed: false,
      rule: 'runbook-roles',
      reason: `Nobody may run \`/ops ${name}\`: it lists no roles. An admin can add the roles that may under \`runbooks.${name}.roles\` in deckhand.yaml.`,
    };
  if (person.roles.some((r) => roles.includes(r))) return undefined;
  const yours = person.roles.length
    ? `your roles (${person.roles.join(', ')}) are not among them`
    : 'you have no role';
  return {
    allowed: false,
    rule: 'runbook-roles',
    reason: `You may not run \`/ops ${name}\`: it is for ${roles.join(', ')}, and ${yours}. Ask an admin to give you one of them under \`people\` in deckhand.yaml.`,
  };
}
