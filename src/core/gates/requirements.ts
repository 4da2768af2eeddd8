/** What a command must pass before it runs: a confirmation, approvals, a freeze. Pure decisions. */
import type { ApprovalRule, Vote } from '../store.ts';

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
  /** Default channel id for approval requests. */
  approvalsChannel?: string;
  approvalMs: number;
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

const guarded = (command: string) => command === 'deploy' || command === 'rollback';

/** The confirmation and approvals a command needs; a break-glass request adds its freeze's rule. */
export function requirements(
  config: GateConfig,
  command: string,
  environment: string | undefined,
  freeze?: FreezeHit,
): Requirements {
  const confirm =
    config.confirmCommands.includes(command) ||
    (guarded(command) && environment !== undefined && config.protectedEnvironments.includes(environment));
  const policy = environment ? config.approvals[environment] : undefined;
  const rules: ApprovalRule[] = [];
  if (policy?.commands.includes(command))
    rules.push({ roles: policy.roles, count: policy.count, label: `environment ${environment}` });
  if (freeze) rules.push({ roles: freeze.breakGlassRoles, count: 1, label: `break-glass ${freeze.name}` });
  return {
    confirm,
    rules,
    channel: policy?.channel ?? config.approvalsChannel,
    approvalMs: policy?.expiryMs ?? config.approvalMs,
  };
}

/** Votes that count towards a rule: from people holding one of its roles. */
const counted = (rule: ApprovalRule, votes: readonly Vote[]) =>
  votes.filter((v) => v.roles.some((r) => rule.roles.includes(r))).length;

/** Whether every rule has its approvals. */
export function satisfied(rules: readonly ApprovalRule[], votes: readonly Vote[]): boolean {
  return rules.every((rule) => counted(rule, votes) >= rule.count);
}

/** Whether someone with `roles` can approve a request under `rules`. */
export function canApprove(rules: readonly ApprovalRule[], roles: readonly string[]): boolean {
  return rules.some((rule) => rule.roles.some((r) => roles.includes(r)));
}

/** "1 approval from release-manager and 1 from sre (break-glass)". */
export function describeRules(rules: readonly ApprovalRule[], votes: readonly Vote[] = []): string {
  return rules
    .map((rule, i) => {
      const got = counted(rule, votes);
      const noun = i === 0 ? (rule.count === 1 ? ' approval' : ' approvals') : '';
      const progress = votes.length ? ` (${Math.min(got, rule.count)} given)` : '';
      const why = rule.label.startsWith('break-glass') ? ' for the break-glass' : '';
      return `${rule.count}${noun} from ${rule.roles.join(' or ')}${why}${progress}`;
    })
    .join(' and ');
}
