/** What a command module is: its grammar, its help, and its handler. */
import type { Message } from '../messages.ts';
import type { PersonInfo } from '../people.ts';

/** The kinds of argument the parser validates before a handler runs. */
export type ArgType =
  | 'branch'
  | 'environment'
  | 'version'
  | 'suite'
  | 'run-id'
  | 'command'
  | 'count'
  | 'text';

export interface ArgSpec {
  name: string;
  type: ArgType;
  required?: boolean;
  /** Takes every remaining word (free text such as a reason); last argument only. */
  rest?: boolean;
  /** For `count`: the largest number accepted (the smallest is 1). */
  max?: number;
  /** One line for help. */
  description: string;
}

export interface FlagSpec extends ArgSpec {
  /** `--branch` is written `branch`. */
  name: string;
  /** How usage shows its value (default: the name in capitals). */
  value?: string;
}

/** Who asked, from where. */
export interface Invocation {
  person: PersonInfo;
  platform: string;
  /** The platform's user id. */
  userId: string;
  channel: string;
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
  examples: string[];
  /** What the ack says when the work outlasts the platform's deadline, e.g. "Deploying `v2`…". */
  pending?(args: Args, who: string): string;
  handle(args: Args, who: Invocation, deps: Deps): Promise<Outcome>;
}

/** `/ci build [branch]` from the spec. */
export function usage(command: Pick<Command<unknown>, 'name' | 'args' | 'flags'>): string {
  const parts = [`/ci ${command.name}`];
  for (const a of command.args) {
    const name = a.rest ? `${a.name}…` : a.name;
    parts.push(a.required ? `<${name}>` : `[${name}]`);
  }
  for (const f of command.flags ?? []) parts.push(`[--${f.name} ${f.value ?? f.name.toUpperCase()}]`);
  return parts.join(' ');
}

/** Declares a command with its own dependency type, checked where the list is assembled. */
export function defineCommand<Deps>(command: Command<Deps>): Command<Deps> {
  return command;
}
