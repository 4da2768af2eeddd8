/** A command line read: the family, the command, its validated arguments, and whether only an explanation is asked. */
import { type BoundCommand, type Families, unknownRoot } from './commands/families.ts';
import type { Args } from './commands/types.ts';
import { UserError } from './errors.ts';
import type { Message } from './messages.ts';
import type { Decision } from './policy.ts';
import { closest } from './suggest.ts';
import { tokenize } from './tokenize.ts';

export interface ParsedLine {
  command: BoundCommand;
  args: Args;
  explain: boolean;
}

/** What `--explain` (or `/ci explain …`) answers: the decision and the rule, nothing run. */
export const explanation = (text: string, verdict: Decision): Message => ({
  status: verdict.allowed ? 'info' : 'warning',
  header: verdict.allowed ? 'Would run' : 'Would be refused',
  text: `\`${text
    .replace(/\s--explain\b/, '')
    .replace(/^(\/[a-z][a-z0-9-]*) explain\b/, '$1')
    .trim()}\` ${
    verdict.allowed ? 'would run' : 'would be refused'
  }: ${verdict.reason ?? verdict.rule}.`.replace(/\.\.$/, '.'),
  context: [`Rule: ${verdict.rule}. Nothing was run.`],
});

/** Finds the family and the command and validates its arguments; throws UserError with help on any mistake. */
export function parseCommandLine(text: string, families: Families): ParsedLine {
  let words = tokenize(text);
  const root = words[0]?.replace(/^\//, '') ?? '';
  // `/ci explain deploy production` and `/ci deploy production --explain` ask the same question.
  const explain = words[1] === 'explain' || words.includes('--explain');
  words = words.filter((w, i) => w !== '--explain' && !(i === 1 && w === 'explain'));
  if (!families.family(root)) throw unknownRoot(families.roots);
  if (explain && words.length < 2)
    throw new UserError(`Explain what? For example \`/${root} explain help\`.`);
  const commands = families.commands(root);
  const names = commands.map((c) => c.name);
  const family = families.family(root);
  const name = words[1] ?? family?.defaultCommand ?? 'help';
  const command = commands.find((c) => c.name === name.toLowerCase());
  // A family with a fallback reads a first word that is no command as its argument (`/oncall primary`);
  // when that fails too and the word looks like a mistyped command, the command is suggested.
  const fallback = family?.fallbackCommand;
  if (!command && fallback) {
    const taking = commands.find((c) => c.name === fallback) as BoundCommand;
    try {
      return { command: taking, args: families.parseArgs(taking, words.slice(1)), explain };
    } catch (error) {
      if (!(error instanceof UserError) || !closest(name, names)) throw error;
    }
  }
  if (!command) {
    const guess = closest(name, names);
    throw new UserError(
      `Unknown command \`${name}\`.${guess ? ` Did you mean \`/${root} ${guess}\`?` : ''} Commands: ${names.join(', ')}. \`/${root} help\` explains them.`,
    );
  }
  return { command, args: families.parseArgs(command, words.slice(2)), explain };
}

/** What an ack says while a command is still being worked on ("Deploying `v2`, triggered by @Alice…"). */
export function pendingMessage(text: string, who: string, parse: (text: string) => ParsedLine): Message {
  try {
    const { command, args } = parse(text);
    return {
      status: 'queued',
      text: command.pending?.(args, who) ?? `Working on \`${text.trim()}\` for ${who}…`,
    };
  } catch {
    return { status: 'queued', text: `Working on \`${text.trim().slice(0, 100)}\`…` };
  }
}
