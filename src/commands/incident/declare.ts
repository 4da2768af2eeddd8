import { defineCommand } from '../../core/commands/types.ts';
import { UserError } from '../../core/errors.ts';
import { parseSeverity, severityLabel } from '../../core/incidents/severity.ts';
import { type IncidentDeps, service } from './common.ts';

export const declare = defineCommand<IncidentDeps & { catalog: { environments: { name: string }[] } }>({
  name: 'declare',
  summary: 'Open an incident: its own channel (or thread), the on-call person invited, a status card.',
  args: [{ name: 'title', type: 'text', required: true, rest: true, max: 200, description: 'what is wrong' }],
  flags: [
    {
      name: 'severity',
      type: 'text',
      value: 'N',
      description: '1 (worst) to 5, or P1, sev2, critical… (default from the config)',
    },
    {
      name: 'environment',
      type: 'environment',
      description: 'the environment affected (its deploys are listed)',
    },
  ],
  examples: [
    'declare checkout errors above 5% --severity 2',
    'declare api down --severity 1 --environment production',
  ],
  async handle(args, who, deps) {
    const severity = args.severity === undefined ? undefined : parseSeverity(args.severity);
    if (args.severity !== undefined && severity === undefined)
      throw new UserError(
        `Severity \`${args.severity}\` is not one deckhand reads: write 1 (worst) to 5, P1 or sev2.`,
      );
    const incident = await service(deps).open({
      title: args.title as string,
      severity,
      environments: args.environment ? [args.environment] : [],
      by: who.person.id,
    });
    const rooms = incident.places.filter((p) => p.room).length;
    return {
      message: {
        status: 'warning',
        text: `Incident #${incident.id} (${severityLabel(incident.severity)}) declared: ${incident.title}. ${
          rooms ? 'Its channel is open.' : 'It lives in the thread of its card in the incidents channel.'
        }`,
      },
    };
  },
});
