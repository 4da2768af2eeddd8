import type { CommandDeps } from '../family.ts';
import { formatDuration } from '../format.ts';
import type { Field } from '../messages.ts';
import type { RenderContext } from '../notify/run-message.ts';
import type { Clock } from '../ports.ts';
import type { CommandUsage, RunOutcomes, UsageStatsReader } from '../types/audit-log.ts';
import { utcMinute } from './audit.ts';
import { defineCommand } from './types.ts';

const DAY_MS = 86_400_000;

const percent = (part: number, whole: number) => `${Math.round((part / whole) * 100)}%`;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function commandLine(c: CommandUsage): string {
  // Any other decision (a command held for confirmation, say) is neither.
  const other = c.total - c.succeeded - c.denied - c.failed;
  const why = [
    c.denied ? `${c.denied} denied` : '',
    c.failed ? `${c.failed} failed` : '',
    other ? `${other} other` : '',
  ].filter(Boolean);
  return `• ${c.command}: ${plural(c.total, 'use')}, ${percent(c.succeeded, c.total)} succeeded${why.length ? ` (${why.join(', ')})` : ''}`;
}

function runLine(r: RunOutcomes): string {
  const decided = r.succeeded + r.failed;
  const rate = decided ? `, ${percent(r.succeeded, decided)} success` : '';
  const other = r.total - r.succeeded - r.failed - r.cancelled;
  const parts = [
    `${r.succeeded} succeeded`,
    `${r.failed} failed`,
    ...(r.cancelled ? [`${r.cancelled} cancelled`] : []),
    ...(other ? [`${other} not finished`] : []),
  ];
  const median = r.medianMs === undefined ? '' : `, median ${formatDuration(r.medianMs)}`;
  return `• ${r.kind}: ${plural(r.total, 'run')} — ${parts.join(', ')}${rate}${median}`;
}

export const stats = defineCommand<{
  usageStats: UsageStatsReader;
  render: RenderContext;
  clock: Clock;
  families: CommandDeps['families'];
}>({
  name: 'stats',
  summary: 'Usage over the last days: commands used most and how often they succeed, by whom, and runs.',
  readOnly: true,
  args: [],
  flags: [{ name: 'days', type: 'count', max: 365, description: 'how many days back, 1–365 (default 30)' }],
  examples: ['stats', 'stats --days 7'],
  async handle(args, _who, deps) {
    const days = Number(args.days ?? 30);
    const since = new Date(deps.clock.now().getTime() - days * DAY_MS);
    const s = await deps.usageStats.stats(since, [
      ...new Set(deps.families.flatMap((f) => f.commands.map((c) => c.name))),
    ]);
    const uses = s.commands.reduce((sum, c) => sum + c.total, 0);
    const succeeded = s.commands.reduce((sum, c) => sum + c.succeeded, 0);
    const denied = s.commands.reduce((sum, c) => sum + c.denied, 0);
    const runs = s.runs.reduce((sum, r) => sum + r.total, 0);
    const period = days === 1 ? 'the last day' : `the last ${days} days`;
    const text = [
      ...(uses
        ? ['Commands used most:', ...s.commands.map(commandLine)]
        : [`No commands were run in ${period}.`]),
      ...(s.people.length
        ? [
            '',
            'By whom:',
            ...s.people.map((p) => `• ${deps.render.mention(p.actor)}: ${plural(p.total, 'command')}`),
          ]
        : []),
      '',
      ...(runs ? ['Runs:', ...s.runs.map(runLine)] : [`No runs in ${period}.`]),
    ];
    const fields: Field[] = [
      { label: 'Commands', value: uses ? `${uses}, ${percent(succeeded, uses)} succeeded` : '0' },
      { label: 'Denied', value: String(denied) },
      { label: 'Runs', value: String(runs) },
    ];
    return {
      message: {
        header: `Usage in ${period}`,
        status: 'info',
        text: text.join('\n'),
        fields,
        context: [
          `Since ${utcMinute(since)} UTC. A command succeeded when it was allowed and its reply was not an error; ` +
            "`--explain` questions are not counted. A run's success rate counts succeeded and failed runs; the median is of succeeded runs.",
          ...(s.unparsed
            ? [
                `${plural(s.unparsed, 'command was', 'commands were')} not understood (unknown command or bad arguments).`,
              ]
            : []),
        ],
      },
    };
  },
});
