import type { Policy } from '../policy.ts';
import type { Command } from './types.ts';
import { defineCommand } from './types.ts';

export const whoami = defineCommand<{ policy: Policy; commands: readonly Command<never>[] }>({
  name: 'whoami',
  summary: 'Show who deckhand takes you for, your roles, and what you may run where.',
  args: [],
  examples: ['/ci whoami'],
  async handle(_args, who, deps) {
    const mine = deps.policy.permissions(
      who.person,
      deps.commands.map((c) => c.name),
    );
    // Confirming and approving depend on the request, which says who may; they are not listed here.
    const may = [...mine]
      .filter(([command]) => !['confirm', 'cancel', 'approve', 'reject'].includes(command))
      .map(([command, envs]) => (envs ? `${command} (${envs.join(', ')})` : command));
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
          ? ['No role grants are configured: everyone known may run every command.']
          : undefined,
      },
    };
  },
});
