/** What a command must pass before it runs: a confirmation, approvals, a freeze. Pure decisions. */
import type { ApprovalRule, Vote } from '../store.ts';
import { type DeployOrder, type OrderHit, orderLabel } from './order.ts';

/** An environment's approval policy. */
export interface ApprovalPolicy {
  count: number;
  roles: string[];
  /** Commands that need it. */
  commands: string[];
  /** Channel id the requests go to. */
  channel?: string;
  expiryMs?: number;
}

export interface GateConfig {
  /** Commands that always ask their requester to confirm. */
  confirmCommands: string[];
  /** Environments whose deploys and rollbacks ask to confirm. */
  protectedEnvironments: string[];
  confirmMs: number;
  approvals: Record<string, ApprovalPolicy>;
  /** Approvals a command needs wherever it runs (a runbook's `approvals:`), by command name. */
  commandApprovals?: Record<string, Omit<ApprovalPolicy, 'commands'>>;
  /** Default channel id for approval requests. */
  approvalsChannel?: string;
  approvalMs: number;
  /** The configured order of environments (deployments.after), judged before anything is held. */
  order?: DeployOrder;
  /** Commands gated as another (`promote` → `deploy`): its confirmations, approvals and freezes apply too. */
  sameAs?: Readonly<Record<string, string>>;
}

/** The names a command is gated under: its own, and the one it counts as. */
export function gatedNames(config: Pick<GateConfig, 'sameAs'>, command: string): string[] {
  const as = config.sameAs?.[command];
  return as && as !== command ? [command, as] : [command];
}

/** A freeze in force for a command, as the gate needs it. */
export interface FreezeHit {
  name: string;
  /** One sentence: what is frozen, until when, why. */
  sentence: string;
  /** Roles that may approve a break-glass deploy; none means the freeze cannot be broken. */
  breakGlassRoles: string[];
}

export interface Requirements {
  confirm: boolean;
  rules: ApprovalRule[];
  /** Channel id for the approval request. */
  channel?: string;
  approvalMs: number;
}

/**
 * The confirmation and approvals a command needs; a break-glass request adds its freeze's rule,
 * and one out of the configured order adds the order's.
 * `environment` is the one the command changes (none for commands that change none).
 */
export function requirements(
  config: GateConfig,
  command: string,
  environment: string | undefined,
  freeze?: FreezeHit,
  order?: OrderHit,
): Requirements {
  const names = gatedNames(config, command);
  const confirm =
    names.some((c) => config.confirmCommands.includes(c)) ||
    (environment !== undefined && config.protectedEnvironments.includes(environment));
  const policy = environment ? config.approvals[environment] : undefined;
  const rules: ApprovalRule[] = [];
  if (policy && names.some((c) => policy.commands.includes(c)))
    rules.push({ roles: policy.roles, count: policy.count, label: `environment ${environment}` });
  const own = config.commandApprovals?.[command];
  if (own) rules.push({ roles: own.roles, count: own.count, label: `command ${command}` });
  if (freeze) rules.push({ roles: freeze.breakGlassRoles, count: 1, label: `break-glass ${freeze.name}` });
  if (order) rules.push({ roles: order.breakGlassRoles, count: 1, label: orderLabel });
  return {
    confirm,
    rules,
    channel: policy?.channel ?? own?.channel ?? config.approvalsChannel,
    approvalMs: policy?.expiryMs ?? config.approvalMs,
  };
}

/**
 * How many approvals each rule has, each person counting towards one rule only (a bipartite
 * matching of approvers to the rules' seats): one release manager cannot fill two seats.
 */
export function seatsFilled(rules: readonly ApprovalRule[], votes: readonly Vote[]): number[] {
  const seats = rules.flatMap((rule, i) => Array.from({ length: rule.count }, () => i));
  const holder: (number | undefined)[] = seats.map(() => undefined);
  const fits = (v: number, s: number) =>
    votes[v]?.roles.some((r) => rules[seats[s] as number]?.roles.includes(r)) ?? false;
  const place = (v: number, seen: Set<number>): boolean => {
    for (let s = 0; s < seats.length; s++) {
      if (seen.has(s) || !fits(v, s)) continue;
      seen.add(s);
      const other = holder[s];
      if (other === undefined || place(other, seen)) {
        holder[s] = v;
        return true;
      }
    }
    return false;
  };
  votes.forEach((_, v) => {
    place(v, new Set());
  });
  return rules.map((_, i) => seats.filter((rule, s) => rule === i && holder[s] !== undefined).length);
}

/** Whether every rule has its approvals. */
export function satisfied(rules: readonly ApprovalRule[], votes: readonly Vote[]): boolean {
  const filled = seatsFilled(rules, votes);
  return rules.every((rule, i) => (filled[i] ?? 0) >= rule.count);
}

/** Whether someone with `roles` can approve a request under `rules`. */
export function canApprove(rules: readonly ApprovalRule[], roles: readonly string[]): boolean {
  return rules.some((rule) => rule.roles.some((r) => roles.includes(r)));
}

/** "1 approval from release-manager and 1 from sre (break-glass)". */
export function describeRules(rules: readonly ApprovalRule[], votes: readonly Vote[] = []): string {
  const filled = seatsFilled(rules, votes);
  return rules
    .map((rule, i) => {
      const got = filled[i] ?? 0;
      const noun = i === 0 ? (rule.count === 1 ? ' approval' : ' approvals') : '';
      const progress = votes.length ? ` (${Math.min(got, rule.count)} given)` : '';
      const why = rule.label.startsWith('break-glass') ? ' for the break-glass' : '';
      return `${rule.count}${noun} from ${rule.roles.join(' or ')}${why}${progress}`;
    })
    .join(' and ');
}
