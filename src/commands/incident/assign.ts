import { defineCommand, type Invocation } from '../../core/commands/types.ts';
import { UserError } from '../../core/errors.ts';
import { type IncidentRole, incidentRoles } from '../../core/incidents/types.ts';
import type { Directory } from '../../core/people.ts';
import { type IncidentDeps, idFlag, service, target } from './common.ts';

/** `@alice`, `alice`, or a platform mention (`<@U123>` on Slack, `<@123>` on Discord). */
export function personFrom(written: string, who: Invocation, directory: Directory): string {
  const bare = written.replace(/^<@!?([^>|]+)(?:\|[^>]*)?>$/, '$1').replace(/^@/, '');
  const person = directory.get(bare) ?? directory.identify(who.platform, bare);
  if (!person)
    throw new UserError(
      `\`${written}\` is not a person deckhand knows: use their id under \`people\` (e.g. \`@alice\`).`,
    );
  return person.id;
}

export const assign = defineCommand<IncidentDeps & { directory: Directory }>({
  name: 'assign',
  summary: 'Give someone an incident role: commander, communications or scribe.',
  args: [
    {
      name: 'role',
      type: 'text',
      required: true,
      max: 20,
      description: 'commander, communications or scribe',
    },
    { name: 'person', type: 'text', required: true, max: 100, description: 'who (`@alice`)' },
  ],
  flags: [idFlag],
  examples: ['assign commander @alice', 'assign scribe @bob --id 12'],
  async handle(args, who, deps) {
    const role = args.role?.toLowerCase() as IncidentRole;
    if (!incidentRoles.includes(role))
      throw new UserError(
        `\`${args.role}\` is not an incident role; the roles are ${incidentRoles.join(', ')}.`,
      );
    const person = personFrom(args.person as string, who, deps.directory);
    const incident = await target(args, who, deps);
    const text = await service(deps).assign(incident, role, person, who.person.id);
    return { message: { status: 'info', text } };
  },
});
