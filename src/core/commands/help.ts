import type { Message } from '../messages.ts';
import type { Policy } from '../policy.ts';
import { type Command, defineCommand, usage } from './types.ts';

/** Help text for every command, generated from the command modules themselves. */
export function helpMessage(commands: readonly Command<never>[], only?: string): Message {
  const shown = only ? commands.filter((c) => c.name === only) : commands;
  const lines: string[] = [];
  for (const c of shown) {
    lines.push(`\`${usage(c)}\` — ${c.summary}`);
    if (only) {
      for (const a of [...c.args, ...(c.flags ?? [])]) lines.push(`  ${a.name}: ${a.description}`);
      lines.push(`  Examples: ${c.examples.map((e) => `\`${e}\``).join(', ')}`);
    } else {
      lines.push(`  e.g. \`${c.examples[c.examples.length > 1 ? 1 : 0]}\``);
    }
  }
  return {
    header: only ? `Help: /ci ${only}` : 'deckhand commands',
    status: 'info',
    text: lines.join('\n'),
    context: only
      ? undefined
      : [
          '`/ci help <command>` for details. Arguments in quotes may contain spaces.',
          'Add `--explain` to any command (or write `/ci explain …`) to hear whether it would run, and why, without running it.',
        ],
  };
}

export const help = defineCommand<{ commands: readonly Command<never>[]; policy: Policy }>({
  name: 'help',
  summary: 'List the commands, or explain one.',
  args: [{ name: 'command', type: 'command', description: 'a command to explain' }],
  examples: ['/ci help', '/ci help deploy'],
  async handle(args, who, deps) {
    // Each person sees only the commands their roles let them run.
    const mine = deps.policy.permissions(
      who.person,
      deps.commands.map((c) => c.name),
    );
    return {
      message: helpMessage(
        deps.commands.filter((c) => mine.has(c.name)),
        args.command,
      ),
    };
  },
});
