/** Validates a command's words against its declared arguments. Nothing here runs anything. */
import { UserError } from '../errors.ts';
import { refNameProblem, versionKind } from '../refs.ts';
import { closest } from '../suggest.ts';
import { type ArgSpec, type Args, type Command, usage } from './types.ts';

/** Lists that argument types are checked against. */
export interface ArgLists {
  environments: readonly string[];
  suites: readonly string[];
  commands: readonly string[];
}

function oneOf(kind: string, value: string, list: readonly string[], plural: string): string {
  if (list.includes(value)) return value;
  const guess = closest(value, list);
  const hint = guess ? ` Did you mean \`${guess}\`?` : '';
  const all = list.length ? ` ${plural}: ${list.join(', ')}.` : ` No ${plural.toLowerCase()} are configured.`;
  throw new UserError(`Unknown ${kind} \`${value}\`.${hint}${all}`);
}

/** Checks one value by type; returns it normalised. */
export function checkArg(spec: ArgSpec, value: string, lists: ArgLists): string {
  switch (spec.type) {
    case 'branch': {
      const problem = refNameProblem(value);
      if (problem) throw new UserError(`\`${value}\` is not a valid branch name: ${problem}.`);
      return value;
    }
    case 'version':
      if (!versionKind(value)) {
        throw new UserError(
          `\`${value}\` is not a valid version: use a tag (v2.1.0), a semantic version or a commit SHA.`,
        );
      }
      return value;
    case 'environment':
      return oneOf('environment', value, lists.environments, 'Environments');
    case 'suite':
      return oneOf('test suite', value, lists.suites, 'Suites');
    case 'command':
      return oneOf('command', value, lists.commands, 'Commands');
    case 'run-id': {
      const id = value.replace(/^#/, '');
      if (!/^\d{1,12}$/.test(id))
        throw new UserError(`\`${value}\` is not a run number; write it like \`12\` or \`#12\`.`);
      return String(Number(id));
    }
    case 'count': {
      const n = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
      const range = spec.max === undefined ? 'of at least 1' : `from 1 to ${spec.max}`;
      if (!(n >= 1 && n <= (spec.max ?? Number.MAX_SAFE_INTEGER)))
        throw new UserError(`${spec.name} must be a whole number ${range}; \`${value}\` is not.`);
      return String(n);
    }
    case 'text':
      return value;
  }
}

export function parseArgs(
  command: Pick<Command<never>, 'name' | 'args' | 'flags'>,
  words: readonly string[],
  lists: ArgLists,
): Args {
  const args: Args = {};
  const positional: string[] = [];
  const flags = command.flags ?? [];
  const help = `Usage: \`${usage(command)}\``;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const flag = word.match(/^--([a-z][a-z-]*)(?:=(.*))?$/s);
    if (!flag) {
      positional.push(word);
      continue;
    }
    const spec = flags.find((f) => f.name === flag[1]);
    if (!spec) {
      const known = flags.map((f) => `--${f.name}`).join(', ');
      throw new UserError(`Unknown option \`--${flag[1]}\`. ${known ? `Options: ${known}. ` : ''}${help}`);
    }
    const value = flag[2] ?? words[++i];
    if (value === undefined || value === '')
      throw new UserError(`Option \`--${spec.name}\` needs a value. ${help}`);
    args[spec.name] = checkArg(spec, value, lists);
  }
  const last = command.args[command.args.length - 1];
  if (last?.rest && positional.length > command.args.length) {
    positional.splice(
      command.args.length - 1,
      positional.length,
      positional.slice(command.args.length - 1).join(' '),
    );
  }
  if (positional.length > command.args.length) {
    const extra = positional.slice(command.args.length).join(' ');
    throw new UserError(`Too many arguments: \`${extra}\`. ${help}`);
  }
  command.args.forEach((spec, i) => {
    const value = positional[i];
    if (value === undefined) {
      if (!spec.required) return;
      const choices =
        spec.type === 'environment' && lists.environments.length
          ? ` Environments: ${lists.environments.join(', ')}.`
          : '';
      throw new UserError(`Missing <${spec.name}>. ${help}${choices}`);
    }
    args[spec.name] = checkArg(spec, value, lists);
  });
  return args;
}
