/** `/incident ack`, `escalate`, `resolve`, `note`: what people do to an incident. */
import { defineCommand } from '../../core/commands/types.ts';
import { escalateNow } from '../../core/incidents/escalate.ts';
import { type IncidentDeps, idFlag, service, target } from './common.ts';

export const ack = defineCommand<IncidentDeps>({
  name: 'ack',
  summary: 'Acknowledge the incident: you are on it, paging stops.',
  args: [],
  flags: [idFlag],
  examples: ['ack', 'ack --id 12'],
  async handle(args, who, deps) {
    const text = await service(deps).ack(await target(args, who, deps), who.person.id);
    return { message: { status: 'info', text } };
  },
});

export const escalate = defineCommand<IncidentDeps>({
  name: 'escalate',
  summary: 'Page the next level of the escalation policy now.',
  args: [],
  flags: [idFlag],
  examples: ['escalate', 'escalate --id 12'],
  async handle(args, who, deps) {
    const incident = await target(args, who, deps);
    const text = await escalateNow(service(deps), incident, who.person.id);
    return { message: { status: 'warning', text } };
  },
});

export const resolve = defineCommand<IncidentDeps>({
  name: 'resolve',
  summary: 'Resolve the incident, with a note on what fixed it.',
  args: [{ name: 'note', type: 'text', rest: true, description: 'what fixed it' }],
  flags: [idFlag],
  examples: ['resolve rolled back to v2.0.3', 'resolve --id 12'],
  async handle(args, who, deps) {
    const text = await service(deps).resolve(await target(args, who, deps), who.person.id, args.note);
    return { message: { status: 'succeeded', text } };
  },
});

export const note = defineCommand<IncidentDeps>({
  name: 'note',
  summary: 'Add a note to the incident’s timeline.',
  args: [{ name: 'text', type: 'text', required: true, rest: true, max: 2000, description: 'the note' }],
  flags: [idFlag],
  examples: ['note error rate back under 1% after the cache flush'],
  async handle(args, who, deps) {
    const incident = await target(args, who, deps);
    await service(deps).note(incident, who.person.id, args.text as string);
    return { message: { status: 'info', text: `Noted on incident #${incident.id}'s timeline.` } };
  },
});
