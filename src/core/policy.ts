/** The permission stage every command passes through; it explains each decision it makes. */
import type { PersonInfo } from './people.ts';

export interface Decision {
  allowed: boolean;
  /** The rule that decided, for the audit log and `--explain`. */
  rule: string;
  /** A sentence for the person: why not, or what allows it. */
  reason?: string;
}

export interface PolicyRequest {
  person: PersonInfo | undefined;
  platform: string;
  userId: string;
  /** Platform channel address. */
  channel: string;
  /** The command family's root word (`ci`). */
  family: string;
  command: string;
  args: Record<string, string | undefined>;
}

/**
 * A role's grant: commands, optionally only for some environments. A command is written by name
 * (`deploy`: in any family), with its family (`ops restart`, `ops *`), or `*` for all.
 */
export interface Grant {
  commands: string[];
  environments?: string[];
}

/** Commands (for some environments) that may only be run from some channels. */
export interface ChannelRule extends Grant {
  channels: string[];
}

export interface PolicyOptions {
  roles: Record<string, { allow: Grant[] }>;
  channelRules: ChannelRule[];
  /** The configured channel id of a platform address, when it is one. */
  channelId(platform: string, address: string): string | undefined;
}

/**
 * Commands everyone known may run: they tell people about themselves and deckhand, or act on a
 * held request, where the gate checks who may (the requester confirms, approvers approve).
 */
const always = new Set(['help', 'whoami', 'explain', 'confirm', 'cancel', 'approve', 'reject']);

const names = (grant: Grant, family: string, command: string) =>
  grant.commands.some(
    (c) => c === '*' || c === command || c === `${family} ${command}` || c === `${family} *`,
  );

const covers = (grant: Grant, family: string, command: string, environment: string | undefined) =>
  names(grant, family, command) &&
  (!grant.environments || (environment !== undefined && grant.environments.includes(environment)));

const what = (family: string, command: string, environment?: string) =>
  `\`/${family} ${command}\`${environment ? ` to \`${environment}\`` : ''}`;

export class Policy {
  /** No role grants anything explicitly: every configured person may run every command. */
  open = false;
  private o!: PolicyOptions;

  constructor(o: PolicyOptions) {
    this.replace(o);
  }

  /** Takes new grants and channel rules (a config reload); every holder of this policy sees them. */
  replace(o: PolicyOptions): void {
    this.o = o;
    this.open = Object.values(o.roles).every((r) => r.allow.length === 0);
  }

  decide(request: PolicyRequest): Decision {
    const { person, command, family } = request;
    if (!person) {
      return {
        allowed: false,
        rule: 'unknown-user',
        reason:
          `Sorry, I don't know you yet (${request.platform} user \`${request.userId}\`). ` +
          `Ask an admin to add you under \`people\` in deckhand.yaml with \`chat: { ${request.platform}: ${request.userId} }\`.`,
      };
    }
    if (always.has(command))
      return { allowed: true, rule: 'always-allowed', reason: 'everyone known may run it' };
    const environment = request.args.environment;
    // The role decides first: telling someone to go to #ops only to be refused there helps nobody.
    const role = this.open
      ? undefined
      : person.roles.find((r) => this.o.roles[r]?.allow.some((g) => covers(g, family, command, environment)));
    if (!this.open && !role) {
      const would = Object.entries(this.o.roles)
        .filter(([, r]) => r.allow.some((g) => covers(g, family, command, environment)))
        .map(([name]) => name);
      const yours = person.roles.length
        ? `your roles (${person.roles.join(', ')}) do not allow it`
        : 'you have no role that allows it';
      return {
        allowed: false,
        rule: 'no-grant',
        reason: `You may not run ${what(family, command, environment)}: ${yours}.${would.length ? ` Roles that may: ${would.join(', ')}.` : ''}`,
      };
    }
    const channelRule = this.o.channelRules.find((r) => covers(r, family, command, environment));
    if (channelRule) {
      const here = this.o.channelId(request.platform, request.channel);
      if (!here || !channelRule.channels.includes(here)) {
        const where = channelRule.channels.map((c) => `#${c}`).join(', ');
        return {
          allowed: false,
          rule: `channel:${channelRule.channels.join('|')}`,
          reason: `${what(family, command, environment)} may only be run from ${where}.`,
        };
      }
    }
    if (!role)
      return {
        allowed: true,
        rule: 'open-policy',
        reason: 'no role grants are configured, so everyone known may',
      };
    return {
      allowed: true,
      rule: `role:${role}`,
      reason: `your role ${role} allows ${what(family, command, environment)}`,
    };
  }

  /** What a person's roles let them run: command → environments (`undefined` = any). Channel rules aside. */
  permissions(
    person: PersonInfo,
    family: string,
    commands: readonly string[],
  ): Map<string, string[] | undefined> {
    const out = new Map<string, string[] | undefined>();
    for (const command of commands) {
      if (always.has(command) || this.open) {
        out.set(command, undefined);
        continue;
      }
      const grants = person.roles
        .flatMap((r) => this.o.roles[r]?.allow ?? [])
        .filter((g) => names(g, family, command));
      if (grants.length === 0) continue;
      if (grants.some((g) => !g.environments)) out.set(command, undefined);
      else out.set(command, [...new Set(grants.flatMap((g) => g.environments ?? []))]);
    }
    return out;
  }
}

/** The policy a config describes: role grants, channel rules, and its channel addresses. */
export function policyFromConfig(config: PolicyConfig): Policy {
  return new Policy(policyOptions(config));
}

type PolicyConfig = {
  roles: Record<string, { allow: Grant[] }>;
  policy: { channels: ChannelRule[] };
  channels: Record<string, Record<string, string>>;
};

export function policyOptions(config: PolicyConfig): PolicyOptions {
  return {
    roles: config.roles,
    channelRules: config.policy.channels,
    channelId: (platform, address) =>
      Object.entries(config.channels).find(
        ([id, addresses]) => (addresses[platform] ?? (platform === 'webchat' ? id : undefined)) === address,
      )?.[0],
  };
}
