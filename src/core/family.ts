/**
 * A command family: a root word (`ci` for `/ci build main`), its commands, the argument types
 * they use, the buttons its messages carry, and help generated from all of it. Families are
 * modules; the core knows only this contract and the services it hands them.
 */

import type { Config } from '../config/sections.ts';
import type { Catalog } from './catalog.ts';
import type { ArgSpec, Args, Command, Invocation, Outcome } from './commands/types.ts';
import type { Gates } from './gates/gates.ts';
import type { IncidentService } from './incidents/service.ts';
import type { RenderContext } from './notify/run-message.ts';
import type { OnCall } from './oncall/types.ts';
import type { Directory } from './people.ts';
import type { Policy } from './policy.ts';
import type { Clock } from './ports.ts';
import type { RunbookService } from './runbooks/executor.ts';
import type { RunService } from './runs.ts';
import type { DeploymentStore, LockStore } from './store.ts';
import type { AuditLogReader, UsageStatsReader } from './types/audit-log.ts';

/** Bounds the config sets on what commands accept. */
export interface Limits {
  /** The longest `--for` of a lock, in milliseconds. */
  lockMs: number;
}

/** Locks for at most 7 days unless the config says otherwise. */
export const defaultLimits: Limits = { lockMs: 7 * 24 * 60 * 60 * 1000 };

/** What the core offers every command and button handler. */
export interface CommandServices {
  catalog: Catalog;
  runs: RunService;
  deployments: DeploymentStore;
  locks: LockStore;
  gates: Gates;
  auditLog: AuditLogReader;
  usageStats: UsageStatsReader;
  directory: Directory;
  policy: Policy;
  render: RenderContext;
  clock: Clock;
  limits: Limits;
  /** Runs `/ops` runbooks (absent where no assembly provides it). */
  runbooks?: RunbookService;
  /** Incidents, when the config has an `incidents:` section. */
  incidents?: IncidentService;
  /** Who is on call, and whom escalation policies page. */
  oncall: OnCall;
}

/** A family as its handlers see it (help lists it, whoami walks every one). */
export interface FamilyInfo {
  root: string;
  summary: string;
  commands: readonly Command<CommandDeps>[];
  /** The command a bare root runs (`/oncall` → `now`); `help` without it. */
  defaultCommand?: string;
  /** The command a first word that names no command is handed to, as its first argument. */
  fallbackCommand?: string;
}

/** What a handler gets: the services, its own family, and every family. */
export interface CommandDeps extends CommandServices {
  family: FamilyInfo;
  families: readonly FamilyInfo[];
}

/** What argument types check values against. */
export interface ArgContext {
  environments: readonly string[];
  /** The family's command names. */
  commands: readonly string[];
  services: CommandServices;
}

/** An argument type: checks a value and returns it normalised, or throws a UserError saying why not. */
export interface ArgType {
  check(value: string, spec: ArgSpec, context: ArgContext): string;
}

/** A click, as a button handler sees it. */
export interface Click extends Invocation {
  /** Platform id of the message that carried the button. */
  messageId: string;
  /** Text the button asked for, where the platform could ask. */
  input?: string;
}

/**
 * A button verb (`rerun` in `rerun:12`). The core checks the clicker may run `permission`'s
 * command, audits the click, and posts the outcome in the clicked message's thread.
 */
export interface ButtonSpec {
  /** The command (of this family) whose permission a click needs, and what it is about. */
  permission(id: string, deps: CommandDeps): Promise<{ command: string; args: Args; runId?: number }>;
  click(id: string, who: Click, deps: CommandDeps): Promise<Outcome>;
}

export interface CommandFamily {
  /** The root word: `/ci`, `/ops`. Lowercase letters, digits and dashes. */
  root: string;
  /** One line: what the family is for. */
  summary: string;
  /** Its commands, in the order help lists them; `help` is added when the family has none. */
  commands: readonly Command<CommandDeps>[];
  /** Argument types beyond the core's (`text`, `count`, `environment`, `command`). */
  argTypes?: Readonly<Record<string, ArgType>>;
  /** Button verbs its messages carry; unique across families. */
  buttons?: Readonly<Record<string, ButtonSpec>>;
  /**
   * The family as the config makes it (`/ops`: one command per runbook), built once at assembly;
   * undefined leaves it out (no runbook configured).
   */
  fromConfig?(config: Config): CommandFamily | undefined;
  /** The command a line with no command word runs (`/oncall` → `now`); `help` when not set. */
  defaultCommand?: string;
  /**
   * The command a line whose first word names no command runs, that word being its first argument
   * (`/oncall primary` → `/oncall now primary`); when not set, such a line is refused with a suggestion.
   */
  fallbackCommand?: string;
}

/** Declares a family; its commands' dependencies are checked against the core's services. */
export function defineFamily(family: CommandFamily): CommandFamily {
  return family;
}
