/** `/ops help`: the runbooks the asking person may run, and how to get access to the others. */
import type { RunbooksConfig } from '../../config/runbooks.ts';
import { helpMessage } from '../../core/commands/help.ts';
import { defineCommand } from '../../core/commands/types.ts';
import type { CommandDeps } from '../../core/family.ts';

export function opsHelp(runbooks: RunbooksConfig) {
  return defineCommand<Pick<CommandDeps, 'family' | 'policy'>>({
    name: 'help',
    summary: 'List the runbooks you may run, or explain one.',
    readOnly: true,
    args: [{ name: 'command', type: 'command', description: 'a runbook to explain' }],
    examples: ['help', `help ${Object.keys(runbooks)[0] ?? 'restart'}`],
    async handle(args, who, deps) {
      const { root, commands } = deps.family;
      const mine = deps.policy.permissions(
        who.person,
        root,
        commands.map((c) => c.name),
      );
      const runnable = commands.filter((c) => mine.has(c.name) && c.name in runbooks);
      const others = Object.keys(runbooks).filter((n) => !mine.has(n));
      if (args.command && !mine.has(args.command)) {
        const roles = runbooks[args.command]?.roles ?? [];
        return {
          message: {
            status: 'info',
            text: `You may not run \`/${root} ${args.command}\`: ${roles.length ? `it is for ${roles.join(', ')}` : 'it lists no roles'}.`,
          },
        };
      }
      const message = helpMessage(runnable, root, args.command);
      if (!args.command && runnable.length === 0)
        message.text = Object.keys(runbooks).length
          ? 'You may not run any runbook yet.'
          : 'No runbook is configured.';
      if (!args.command && others.length) {
        const list = others.map((n) => {
          const roles = runbooks[n]?.roles ?? [];
          return `\`${n}\` (${roles.length ? roles.join(' or ') : 'nobody: it lists no roles'})`;
        });
        message.context = [
          ...(message.context ?? []),
          `Runbooks you may not run: ${list.join(', ')}. Ask an admin to give you one of those roles under \`people\` in deckhand.yaml.`,
        ];
      }
      return { message };
    },
  });
}
