/** What a command module is: its grammar, its help, what it touches, and its handler. */
import type { Message } from '../messages.ts';
import type { PersonInfo } from '../people.ts';
import type { Preview } from '../store.ts';

/**
 * The kind of an argument, checked before a handler runs: the core's `text`, `count`,
 * `environment` and `command`, or one its family declares (`branch`, `version`…).
 */
export type ArgTypeName = string;

export interface ArgSpec {
  name: string;
  type: ArgTypeName;
  required?: boolean;
  /** Takes every remaining word (free text such as a reason); last argument only. */
  rest?: boolean;
  /** For `count`: the largest number accepted (the smallest is 1); for `text`: the most characters (500). */
  max?: number;
  /** One line for help. */
  description: string;
  /** The value it takes when left out (a runbook's fixed environment). */
  default?: string;
}

export interface FlagSpec extends ArgSpec {
  /** `--branch` is written `branch`. */
  name: string;
  /**
   * What goes after the flag, as usage shows it in angle brackets (`duration` → `--for <duration>`);
   * by default its argument type where that names it (`branch`, `environment`), else its name.
   */
  value?: string;
  /** The one word it takes, shown as written (`yes` → `--force yes`). */
  literal?: string;
}

/** Argument types too general to say what goes there: usage names the flag instead. */
const vagueTypes = new Set(['text', 'count']);

/** `<duration>` for `--for`: what a flag's value is, in angle brackets. */
export function flagValue(flag: FlagSpec): string {
  if (flag.literal) return flag.literal;
  const what = flag.value ?? (vagueTypes.has(flag.type) ? flag.name : flag.type);
  return `<${what.toLowerCase()}>`;
}

/** Who asked, from where. */
export interface Invocation {
  person: PersonInfo;
  platform: string;
  /** The platform's user id. */
  userId: string;
  channel: string;
  /** What this invocation comes from (an intake record, a held request): what it starts carries it. */
  origin?: string;
}

/** A handler's answer: the reply, and the run it started (whose reply is updated when it ends). */
export interface Outcome {
  message: Message;
  runId?: number;
  /** Posts the reply under this key so it can be updated in place (held commands' cards). */
  key?: string;
  /** The audit decision, when the handler decided more than the policy did (e.g. `held:confirm`). */
  decision?: string;
  /** The result shows elsewhere (an updated card): a click gets no reply of its own. */
  quiet?: boolean;
}

/** Parsed, validated arguments by name. */
export type Args = Record<string, string | undefined>;

export interface Command<Deps> {
  name: string;
  summary: string;
  /** Positional arguments, in order. */
  args: ArgSpec[];
  flags?: FlagSpec[];
  /** Written without the root (`deploy staging`); help shows them as `/ci deploy staging`. */
  examples: string[];
  /**
   * What running it changes. `environment` names the argument holding the environment it
   * changes: locks held by others refuse it, freezes stop it, protected environments ask to
   * confirm it and approval rules can hold it.
   */
  touches?: { environment: string };
  /**
   * It only reads (status, help): nothing holds it, and where the platform waits for the answer it
   * is answered at once, its audit entry (with the request's deduplication key) its record.
   */
  readOnly?: boolean;
  /** What the ack says when the work outlasts the platform's deadline, e.g. "Deploying `v2`…". */
  pending?(args: Args, who: string): string;
  /** What a held request's card calls it: "deploy `v1.2` to `production`". */
  describe?(args: Args): string;
  /** What approvers see of the change it would make (the live version, the commits it brings). */
  preview?: (args: Args, deps: Deps) => Promise<Preview | undefined>;
  handle: (args: Args, who: Invocation, deps: Deps) => Promise<Outcome>;
}

/** `/ci build [branch]` from the spec. */
export function usage(command: Pick<Command<never>, 'name' | 'args' | 'flags'>, root: string): string {
  const parts = [`/${root} ${command.name}`];
  for (const a of command.args) {
    const name = a.rest ? `${a.name}…` : a.name;
    parts.push(a.required ? `<${name}>` : `[${name}]`);
  }
  for (const f of command.flags ?? []) parts.push(`[--${f.name} ${flagValue(f)}]`);
  return parts.join(' ');
}

/** Declares a command with the narrow dependencies it needs; its family checks the core has them. */
export function defineCommand<Deps>(command: Command<Deps>): Command<Deps> {
  return command;
}

/** The environment a command changes, read from its arguments, if it changes one. */
export function touchedEnvironment(
  command: Pick<Command<never>, 'touches'> | undefined,
  args: Args,
): string | undefined {
  return command?.touches ? args[command.touches.environment] : undefined;
}
