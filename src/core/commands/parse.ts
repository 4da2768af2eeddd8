/** Validates a command's words against its declared arguments. Nothing here runs anything. */
import { UserError } from '../errors.ts';
import { type ArgSpec, type Args, type Command, usage } from './types.ts';

/** Checks one value against its spec's type; returns it normalised or throws a UserError. */
export type CheckArg = (spec: ArgSpec, value: string) => string;

export function parseArgs(
  command: Pick<Command<never>, 'name' | 'args' | 'flags'>,
  root: string,
  words: readonly string[],
  check: CheckArg,
  environments: readonly string[],
): Args {
  const args: Args = {};
  const positional: string[] = [];
  const flags = command.flags ?? [];
  const help = `Usage: \`${usage(command, root)}\``;
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
    args[spec.name] = check(spec, value);
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
      if (spec.default !== undefined) args[spec.name] = spec.default;
      if (!spec.required) return;
      const choices =
        spec.type === 'environment' && environments.length
          ? ` Environments: ${environments.join(', ')}.`
          : '';
      throw new UserError(`Missing <${spec.name}>. ${help}${choices}`);
    }
    args[spec.name] = check(spec, value);
  });
  return args;
}
