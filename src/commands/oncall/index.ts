/** The `/oncall` command family: who is on call now and next, and whom escalation policies page. */
import { help } from '../../core/commands/help.ts';
import { defineFamily } from '../../core/family.ts';
import { oncallArgTypes } from './arg-types.ts';
import { escalation } from './escalation.ts';
import { now } from './now.ts';

export const oncallFamily = defineFamily({
  root: 'oncall',
  summary: 'Who is on call now and next, and whom escalation policies page.',
  commands: [now, escalation, help],
  argTypes: oncallArgTypes,
  // `/oncall` alone and `/oncall <schedule>` both mean `/oncall now …`.
  defaultCommand: 'now',
  fallbackCommand: 'now',
});
