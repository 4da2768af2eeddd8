/** `/incident status` and `/incident timeline`: reading incidents. */
import { defineCommand } from '../../core/commands/types.ts';
import { severityLabel } from '../../core/incidents/severity.ts';
import { timelineMarkdown } from '../../core/incidents/timeline.ts';
import type { Directory } from '../../core/people.ts';
import type { Clock } from '../../core/ports.ts';
import type { AuditLogReader } from '../../core/types/audit-log.ts';
import { type IncidentDeps, idFlag, service, target } from './common.ts';

export const status = defineCommand<IncidentDeps>({
  name: 'status',
  summary: 'Show the open incidents, or one incident’s card.',
  readOnly: true,
  args: [],
  flags: [idFlag],
  examples: ['status', 'status --id 12'],
  async handle(args, who, deps) {
    const incidents = service(deps);
    if (args.id) return { message: await incidents.card(await target(args, who, deps)) };
    const open = await incidents.o.store.open();
    if (open.length === 0) return { message: { status: 'succeeded', text: 'No incident is open.' } };
    const lines = open.map(
      (i) =>
        `#${i.id} ${severityLabel(i.severity)} ${i.status}: ${i.title}${i.environments.length ? ` (${i.environments.join(', ')})` : ''}`,
    );
    return { message: { header: 'Open incidents', status: 'warning', text: lines.join('\n') } };
  },
});

export const timeline = defineCommand<
  IncidentDeps & { auditLog: AuditLogReader; clock: Clock; directory: Directory }
>({
  name: 'timeline',
  summary: 'The incident’s timeline as a Markdown post-incident summary.',
  readOnly: true,
  args: [],
  flags: [idFlag],
  examples: ['timeline', 'timeline --id 12'],
  async handle(args, who, deps) {
    const incidents = service(deps);
    const incident = await target(args, who, deps);
    const events = await incidents.o.store.events(incident.id);
    const markdown = await timelineMarkdown(incident, events, deps.auditLog, deps.clock.now(), (id) =>
      deps.directory.mention(id),
    );
    return { message: { header: `Incident #${incident.id} timeline`, status: 'info', text: markdown } };
  },
});
