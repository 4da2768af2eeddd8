/** `/oncall now [schedule]` (also `/oncall` and `/oncall <schedule>`): who is on call now, and who is next. */
import { defineCommand } from '../../core/commands/types.ts';
import type { OnCall } from '../../core/oncall/types.ts';
import type { Clock } from '../../core/ports.ts';
import { scheduleLines } from './show.ts';

export const now = defineCommand<{
  oncall: OnCall;
  clock: Clock;
  render: { mention(personId: string): string };
}>({
  name: 'now',
  summary: 'Who is on call now and next, in every schedule or one (`/oncall` and `/oncall <schedule>` too).',
  readOnly: true,
  args: [{ name: 'schedule', type: 'schedule', description: 'one schedule (all of them without it)' }],
  examples: ['now', 'primary', 'now primary'],
  async handle(args, _who, deps) {
    const at = deps.clock.now();
    const names = args.schedule ? [args.schedule] : deps.oncall.schedules();
    if (names.length === 0)
      return {
        message: {
          header: 'On call',
          status: 'info',
          text: 'No on-call schedules are configured. Add them under `oncall.schedules` in deckhand.yaml (docs/oncall.md shows how).',
        },
      };
    const lines = names.flatMap((name) =>
      scheduleLines(
        name,
        deps.oncall.timeZone?.(name) ?? 'UTC',
        deps.oncall.now(name, at),
        deps.oncall.next(name, at),
        (id) => deps.render.mention(id),
      ),
    );
    return {
      message: {
        header: args.schedule ? `On call: ${args.schedule}` : 'On call',
        status: 'info',
        text: lines.join('\n'),
      },
    };
  },
});
