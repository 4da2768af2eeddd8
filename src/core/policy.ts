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
  /** `policy.allowEveryone`: every known person may run every command (a local demo). */
  allowEveryone?: boolean;
  /** Commands that only read (help, status…): while no role grants anything, only these run. */
  reading?: readonly string[];
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

/** How to allow a command, in the words of deckhand.yaml. */
const howToAllow = (command: string, environment?: string) =>
  `Allow it under \`roles.<role>.allow\` in deckhand.yaml, e.g. \`- { commands: [${command}]${environment ? `, environments: [${environment}]` : ''} }\`.`;

export class Policy {
  /** `policy.allowEveryone` is on: every configured person may run every command. */
  open = false;
  /** No role grants anything and everyone-may-run is off: only commands that read run. */
  ungranted = false;
  private o!: PolicyOptions;
  private reading = new Set<string>();

  constructor(o: PolicyOptions) {
    this.replace(o);
  }

  /** Takes new grants and channel rules (a config reload); every holder of this policy sees them. */
  replace(o: PolicyOptions): void {
    this.o = o;
    this.open = o.allowEveryone === true;
    this.ungranted = !this.open && Object.values(o.roles).every((r) => r.allow.length === 0);
    this.reading = new Set(o.reading ?? []);
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
    if (this.ungranted) {
      if (this.reading.has(command))
        return { allowed: true, rule: 'read-only', reason: 'it only reads, and no role grants anything yet' };
      return {
        allowed: false,
        rule: 'no-grants',
        reason:
          `You may not run ${what(family, command, environment)}: no role grants any command yet, so only ` +
          `commands that read run. ${howToAllow(command, environment)}`,
      };
    }
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
        reason: `You may not run ${what(family, command, environment)}: ${yours}.${would.length ? ` Roles that may: ${would.join(', ')}.` : ` ${howToAllow(command, environment)}`}`,
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
        reason: '`policy.allowEveryone` is on, so everyone known may',
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
      if (always.has(command) || this.open || (this.ungranted && this.reading.has(command))) {
        out.set(command, undefined);
        continue;
      }
      if (this.ungranted) continue;
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
  policy: { channels: ChannelRule[]; allowEveryone?: boolean };
  channels: Record<string, Record<string, string>>;
  /** The commands that only read, as the modules declared them when the config was loaded. */
  reading?: readonly string[];
};

export function policyOptions(config: PolicyConfig): PolicyOptions {
  return {
    roles: config.roles,
    channelRules: config.policy.channels,
    allowEveryone: config.policy.allowEveryone,
    reading: config.reading,
    channelId: (platform, address) =>
      Object.entries(config.channels).find(
        ([id, addresses]) => (addresses[platform] ?? (platform === 'webchat' ? id : undefined)) === address,
      )?.[0],
  };
}

export interface PolicyNotice {
  level: 'info' | 'warn';
  text: string;
}

/**
 * One line each for `start` and `check-config` when the policy is not made of grants: nothing
 * granted (only reading runs), or everyone may run everything (a warning beside a real chat platform).
 */
export function policyNotices(
  config: PolicyConfig & { people?: readonly unknown[] },
  platforms: readonly string[],
): PolicyNotice[] {
  // Nobody listed: every command is refused as from someone unknown, whatever the grants say.
  if (config.people?.length === 0)
    return [
      {
        level: 'warn',
        text: 'Nobody is listed under people, so deckhand answers every command as from someone unknown and runs none; add people with their chat ids.',
      },
    ];
  const policy = new Policy(policyOptions(config));
  if (policy.ungranted) {
    const reading = [...(config.reading ?? [])].sort().join(', ') || 'none';
    return [
      {
        level: 'info',
        text: `No role grants any command: only commands that read run (${reading}); everything else is refused until you grant it under roles.<role>.allow.`,
      },
    ];
  }
  if (!policy.open) return [];
  const real = platforms.filter((p) => p !== 'webchat');
  if (real.length === 0)
    return [
      {
        level: 'info',
        text: 'policy.allowEveryone is on: everyone listed under people may run every command (fine for the local web chat only).',
      },
    ];
  return [
    {
      level: 'warn',
      text: `policy.allowEveryone is on with ${real.join(', ')}: everyone listed under people may run every command there, production deploys included; grant commands under roles.<role>.allow and remove allowEveryone.`,
    },
  ];
}
