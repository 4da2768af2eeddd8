/** `/oncall escalation [policy]`: an escalation policy's levels, whom each pages now, and how long each waits. */
import { defineCommand } from '../../core/commands/types.ts';
import { formatSpan } from '../../core/format.ts';
import type { EscalationPolicy, EscalationTarget, OnCall } from '../../core/oncall/types.ts';
import type { Clock } from '../../core/ports.ts';

const target = (t: EscalationTarget, mention: (id: string) => string) =>
  'schedule' in t ? `schedule \`${t.schedule}\`` : 'person' in t ? mention(t.person) : `role \`${t.role}\``;

/** The lines for one policy: each level's targets, whom they page at `at`, and the wait before the next. */
export function policyLines(
  policy: EscalationPolicy,
  oncall: OnCall,
  at: Date,
  mention: (id: string) => string,
): string[] {
  const times = policy.repeat === 1 ? 'once more' : `${policy.repeat} more times`;
  const lines = [`\`${policy.name}\`${policy.repeat > 0 ? ` (then all levels again, ${times})` : ''}`];
  policy.levels.forEach((level, i) => {
    const paged = oncall.page(policy.name, i, at);
    const who = paged.length ? paged.map(mention).join(', ') : 'nobody';
    const last = i === policy.levels.length - 1;
    const then = last ? 'level 1 again' : 'the next level';
    const wait =
      last && policy.repeat === 0 ? '' : `; unacknowledged after ${formatSpan(level.afterMs)}, ${then}`;
    lines.push(
      `  ${i + 1}. ${level.targets.map((t) => target(t, mention)).join(', ')}: pages ${who} now${wait}`,
    );
  });
  return lines;
}

export const escalation = defineCommand<{
  oncall: OnCall;
  clock: Clock;
  render: { mention(personId: string): string };
}>({
  name: 'escalation',
  summary: 'Escalation policies: whom each level pages now, and how long it waits before the next.',
  readOnly: true,
  args: [{ name: 'policy', type: 'policy', description: 'one policy (all of them without it)' }],
  examples: ['escalation', 'escalation default'],
  async handle(args, _who, deps) {
    const at = deps.clock.now();
    const names = args.policy ? [args.policy] : (deps.oncall.policies?.() ?? []);
    const policies = names.flatMap((n) => deps.oncall.policy(n) ?? []);
    if (policies.length === 0)
      return {
        message: {
          header: 'Escalation',
          status: 'info',
          text: 'No escalation policies are configured. Add them under `oncall.escalation` in deckhand.yaml (docs/oncall.md shows how).',
        },
      };
    const mention = (id: string) => deps.render.mention(id);
    return {
      message: {
        header: args.policy ? `Escalation: ${args.policy}` : 'Escalation',
        status: 'info',
        text: policies.flatMap((p) => policyLines(p, deps.oncall, at, mention)).join('\n'),
      },
    };
  },
});
