import type { CommandDeps } from '../family.ts';
import { defineCommand } from './types.ts';

/** Confirming and approving depend on the request, which says who may; they are not listed. */
const perRequest = new Set(['confirm', 'cancel', 'approve', 'reject']);

export const whoami = defineCommand<Pick<CommandDeps, 'policy' | 'families'>>({
  name: 'whoami',
  summary: 'Show who deckhand takes you for, your roles, and what you may run where.',
  readOnly: true,
  args: [],
  examples: ['whoami'],
  async handle(_args, who, deps) {
    // With several families each command is named with its root: `/ops restart`.
    const several = deps.families.length > 1;
    const may = deps.families.flatMap((family) => {
      const names = family.commands.map((c) => c.name);
      return [...deps.policy.permissions(who.person, family.root, names)]
        .filter(([command]) => !perRequest.has(command))
        .map(([command, envs]) => {
          const name = several ? `/${family.root} ${command}` : command;
          return envs ? `${name} (${envs.join(', ')})` : name;
        });
    });
    return {
      message: {
        header: `You are ${who.person.name}`,
        status: 'info',
        fields: [
          { label: 'Person', value: who.person.id },
          { label: `${who.platform} user`, value: who.userId },
          { label: 'Roles', value: who.person.roles.join(', ') || 'none' },
        ],
        text: `You may run: ${may.join(', ')}.`,
        context: deps.policy.open
          ? ['`policy.allowEveryone` is on: everyone known may run every command.']
          : deps.policy.ungranted
            ? ['No role grants any command yet: everyone known may run only what reads.']
            : undefined,
      },
    };
  },
});
