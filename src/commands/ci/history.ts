/** `/ci history <environment> [n]`: its deployments, newest first, with who approved each. */
import { defineCommand } from '../../core/commands/types.ts';
import { shownVersion, startedOutside, when } from '../../core/deployments.ts';
import { formatDuration } from '../../core/format.ts';
import type { Gates } from '../../core/gates/gates.ts';
import { statusEmoji } from '../../core/messages.ts';
import type { RenderContext } from '../../core/notify/run-message.ts';
import type { RunService } from '../../core/runs.ts';
import type { DeploymentStore, GateRequest } from '../../core/store.ts';

/** Deployments shown when no count is given, and the most one asks for. */
const SHOWN = 10;
const MOST = 50;

/** "approved by @Bob" / "confirmed by @Alice" / "break-glass: why", for the request that started a run. */
function approvals(r: GateRequest | undefined, mention: (id: string) => string): string | undefined {
  if (!r) return undefined;
  const parts = [
    r.votes.length
      ? `approved by ${r.votes.map((v) => mention(v.by)).join(', ')}`
      : `confirmed by ${mention(r.requester)}`,
    r.breakGlass ? `break-glass: ${r.breakGlass.reason}` : undefined,
  ];
  return parts.filter(Boolean).join('; ');
}

export const history = defineCommand<{
  runs: RunService;
  deployments: DeploymentStore;
  gates: Gates;
  render: RenderContext;
}>({
  name: 'history',
  summary: 'The deployments of an environment: version, commit, who, when, duration, result, approvals.',
  readOnly: true,
  args: [
    { name: 'environment', type: 'environment', required: true, description: 'which environment' },
    { name: 'n', type: 'count', max: MOST, description: `how many (default ${SHOWN})` },
  ],
  examples: ['history production', 'history staging 20'],
  async handle(args, _who, deps) {
    const environment = args.environment as string;
    const list = await deps.deployments.history(environment, Number(args.n ?? SHOWN));
    if (list.length === 0)
      return { message: { status: 'info', text: `Nothing was deployed to \`${environment}\` yet.` } };
    const requests = await deps.gates.forRuns(list.map((d) => d.runId));
    const byRun = new Map(requests.map((r) => [r.runId, r]));
    const lines: string[] = [];
    for (const d of list) {
      const run = await deps.runs.get(d.runId);
      const result = d.result === 'pending' ? 'running' : d.result;
      const took = run?.durationMs !== undefined ? `, took ${formatDuration(run.durationMs)}` : '';
      const how = [
        d.kind === 'rollback' ? 'rollback' : undefined,
        run ? `via ${run.provider}` : undefined,
        run && startedOutside(run) ? 'outside deckhand' : undefined,
        approvals(byRun.get(d.runId), deps.render.mention),
      ].filter(Boolean);
      lines.push(
        `${statusEmoji[result]} ${shownVersion(d)} ${result} — ${when(d.createdAt)} by ${deps.render.mention(d.requestedBy)}${took}, run #${d.runId}${how.length ? ` (${how.join('; ')})` : ''}`,
      );
    }
    return { message: { status: 'info', header: `Deployments to ${environment}`, text: lines.join('\n') } };
  },
});
