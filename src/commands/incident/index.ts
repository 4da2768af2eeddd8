/** The `/incident` command family: declare, acknowledge, escalate and resolve incidents from chat. */
import { defineFamily } from '../../core/family.ts';
import { incidentVerbs } from '../../core/incidents/card.ts';
import { ack, escalate, note, resolve } from './actions.ts';
import { assign } from './assign.ts';
import { ackButton, escalateButton, resolveButton, rollbackButton } from './buttons.ts';
import { declare } from './declare.ts';
import { status, timeline } from './status.ts';

export const incidentFamily = defineFamily({
  root: 'incident',
  summary: 'Declare, acknowledge, escalate and resolve incidents; roles, notes and the timeline.',
  commands: [declare, ack, escalate, resolve, status, assign, note, timeline],
  buttons: {
    [incidentVerbs.ack]: ackButton,
    [incidentVerbs.escalate]: escalateButton,
    [incidentVerbs.resolve]: resolveButton,
    [incidentVerbs.rollback]: rollbackButton,
  },
});
