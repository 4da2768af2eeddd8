/** `/<root> help`: generated from a family's own command modules; every family has it. */
import type { CommandDeps } from '../family.ts';
import type { Message } from '../messages.ts';
import { type Command, defineCommand, usage } from './types.ts';

/** Help text for a family's commands, or one command in detail. */
export function helpMessage(commands: readonly Command<never>[], root: string, only?: string): Message {
  const shown = only ? commands.filter((c) => c.name === only) : commands;
  const lines: string[] = [];
  for (const c of shown) {
    lines.push(`\`${usage(c, root)}\` — ${c.summary}`);
    if (only) {
      for (const a of [...c.args, ...(c.flags ?? [])]) lines.push(`  ${a.name}: ${a.description}`);
      lines.push(`  Examples: ${c.examples.map((e) => `\`/${root} ${e}\``).join(', ')}`);
    } else {
      lines.push(`  e.g. \`/${root} ${c.examples[c.examples.length > 1 ? 1 : 0]}\``);
    }
  }
  return {
    header: only ? `Help: /${root} ${only}` : `/${root} commands`,
    status: 'info',
    text: lines.join('\n'),
    context: only
      ? undefined
      : [
          `\`/${root} help <command>\` for details. Arguments in quotes may contain spaces.`,
          `Add \`--explain\` to any command (or write \`/${root} explain …\`) to hear whether it would run, and why, without running it.`,
        ],
  };
}

export const help = defineCommand<Pick<CommandDeps, 'family' | 'policy'>>({
  name: 'help',
  summary: 'List the commands, or explain one.',
  readOnly: true,
  args: [{ name: 'command', type: 'command', description: 'a command to explain' }],
  examples: ['help', 'help deploy'],
  async handle(args, who, deps) {
    const { root, commands } = deps.family;
    // Each person sees only the commands their roles let them run.
    const mine = deps.policy.permissions(
      who.person,
      root,
      commands.map((c) => c.name),
    );
    return {
      message: helpMessage(
        commands.filter((c) => mine.has(c.name)),
        root,
        args.command,
      ),
    };
  },
});
