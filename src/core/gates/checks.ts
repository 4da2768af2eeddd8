/** Which gates a command meets now: the freeze that refuses it, or the steps that hold it. */
import type { PersonInfo } from '../people.ts';
import type { Decision } from '../policy.ts';
import type { OrderHit } from './order.ts';
import {
  describeRules,
  type FreezeHit,
  type GateConfig,
  gatedNames,
  type Requirements,
  requirements,
} from './requirements.ts';

/** A command as the gates see it. */
export interface Gated {
  /** The command family's root word. */
  family: string;
  command: string;
  args: Record<string, string | undefined>;
  /** The environment the command changes (its declaration says which argument), if any. */
  environment?: string;
}

/** What a held command came with. */
export interface HoldInput {
  platform: string;
  userId: string;
  channel: string;
  threadId?: string;
  text: string;
  extraRoles?: string[];
  person: PersonInfo;
  family: string;
  command: string;
  args: Record<string, string | undefined>;
  environment?: string;
  /** What cards call it ("deploy `v1.2` to `production`"); the typed text when absent. */
  subject?: string;
  /** The intake record it comes from: holding it again finds the same request. */
  origin?: string;
}

export type FreezeAt = (environment: string, command: string, now: Date) => FreezeHit | undefined;

/** The requirements now, and the freeze in force (a break-glass request adds its rule). */
export function needsOf(
  config: GateConfig,
  freezeAt: FreezeAt,
  input: Gated,
  now: Date,
  order?: OrderHit,
): Requirements & { freeze?: FreezeHit } {
  // Freezes stop what changes an environment (deploys, rollbacks), never locks or reads.
  const environment = input.environment;
  const freeze = environment ? freezeOf(config, freezeAt, environment, input.command, now) : undefined;
  const glass = freeze && input.args['break-glass'] ? freeze : undefined;
  const outOfOrder = order && input.args['break-glass'] ? order : undefined;
  return { ...requirements(config, input.command, environment, glass, outOfOrder), freeze };
}

/** The freeze in force for a command, or for the command it is gated as (`promote` as `deploy`). */
export function freezeOf(
  config: GateConfig,
  freezeAt: FreezeAt,
  environment: string,
  command: string,
  now: Date,
): FreezeHit | undefined {
  for (const name of gatedNames(config, command)) {
    const hit = freezeAt(environment, name, now);
    if (hit) return hit;
  }
  return undefined;
}

/** Why a freeze refuses this, or undefined when it does not (none, or a break-glass is asked for). */
export function freezeRefusal(input: Gated, freeze: FreezeHit | undefined): string | undefined {
  if (!freeze) return undefined;
  if (freeze.breakGlassRoles.length === 0)
    return `${freeze.sentence} Nobody can approve a deploy through this freeze.`;
  if (input.args['break-glass']) return undefined;
  return (
    `${freeze.sentence} To go ahead anyway, ask for a break-glass approval from ` +
    `${freeze.breakGlassRoles.join(' or ')}: add \`--break-glass "why"\` to the command.`
  );
}

/** For `--explain`: the freeze or the gates that decide, or undefined when none applies. */
export function explainGates(
  config: GateConfig,
  freezeAt: FreezeAt,
  input: Gated,
  now: Date,
): Decision | undefined {
  const need = needsOf(config, freezeAt, input, now);
  const refusal = freezeRefusal(input, need.freeze);
  if (refusal) return { allowed: false, rule: `freeze:${need.freeze?.name}`, reason: refusal };
  const steps = [
    need.confirm ? 'your confirmation' : undefined,
    need.rules.length ? describeRules(need.rules) : undefined,
  ].filter(Boolean);
  if (steps.length === 0) return undefined;
  const rule = [need.confirm ? 'confirm' : '', ...need.rules.map((r) => `approval:${r.label}`)];
  return {
    allowed: true,
    rule: rule.filter(Boolean).join('+'),
    reason: `it would wait for ${steps.join(', then ')}`,
  };
}
