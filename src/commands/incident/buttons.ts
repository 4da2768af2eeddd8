/**
 * The buttons on an incident's card: Acknowledge, Escalate, Resolve, and "Roll back <env> to
 * <version>", which runs `/ci rollback <env> <version>` through the same gates as typing it
 * (confirmation, approvals, locks, freezes; audited).
 */
import type { Outcome } from '../../core/commands/types.ts';
import { UserError } from '../../core/errors.ts';
import type { ButtonSpec, Click, CommandDeps } from '../../core/family.ts';
import { recentDeploys } from '../../core/incidents/deploys.ts';
import { escalateNow } from '../../core/incidents/escalate.ts';
import type { Incident } from '../../core/incidents/types.ts';
import { service } from './common.ts';

const incidentOf = async (id: string, deps: CommandDeps): Promise<Incident> => {
  const n = /^\d{1,12}/.exec(id)?.[0];
  const found = n === undefined ? undefined : await service(deps).o.store.get(Number(n));
  if (!found) throw new UserError('That incident is not known here any more.');
  return found;
};

const info = (text: string, status: 'info' | 'warning' | 'succeeded' = 'info'): Outcome => ({
  message: { status, text },
});

export const ackButton: ButtonSpec = {
  permission: async () => ({ command: 'ack', args: {} }),
  async click(id, who, deps) {
    return info(await service(deps).ack(await incidentOf(id, deps), who.person.id));
  },
};

export const escalateButton: ButtonSpec = {
  permission: async () => ({ command: 'escalate', args: {} }),
  async click(id, who, deps) {
    const incident = await incidentOf(id, deps);
    const text = await escalateNow(service(deps), incident, who.person.id);
    return info(text, 'warning');
  },
};

export const resolveButton: ButtonSpec = {
  permission: async () => ({ command: 'resolve', args: {} }),
  async click(id, who, deps) {
    return info(await service(deps).resolve(await incidentOf(id, deps), who.person.id), 'succeeded');
  },
};

/** `12~production`: the incident and the environment to roll back. */
const environmentOf = (id: string) => id.split('~')[1] ?? '';

export const rollbackButton: ButtonSpec = {
  // A responder's button (whoever may `/incident ack`); the click then needs `/ci rollback` there too.
  permission: async () => ({ command: 'ack', args: {} }),
  async click(id, who: Click, deps) {
    const incident = await incidentOf(id, deps);
    const environment = environmentOf(id);
    const incidents = service(deps);
    const recent = await recentDeploys(deps.deployments, incident, incidents.o.config.rollbackWindow);
    const version = recent.find((r) => r.environment === environment)?.lastGood;
    if (!version)
      throw new UserError(`There is no earlier good version of \`${environment}\` to roll back to.`);
    const args = { environment, version };
    // The rollback is /ci's: its policy, its gates, its handler, as if it were typed.
    const verdict = deps.policy.decide({ ...who, family: 'ci', command: 'rollback', args });
    if (!verdict.allowed) throw new UserError(verdict.reason ?? 'You may not roll back there.');
    const ci = deps.families.find((f) => f.root === 'ci');
    const command = ci?.commands.find((c) => c.name === 'rollback');
    if (!command) throw new UserError('`/ci rollback` is not available here.');
    const text = `/ci rollback ${environment} ${version}`;
    const held = await deps.gates.hold({
      ...who,
      text,
      family: 'ci',
      command: 'rollback',
      args,
      environment,
      subject: command.describe?.(args),
    });
    if (held) return held;
    const ciDeps = { ...deps, family: ci as NonNullable<typeof ci> };
    return command.handle(args, who, ciDeps);
  },
};
