import type { Catalog } from '../../core/catalog.ts';
import { defineCommand } from '../../core/commands/types.ts';
import { currentDeployment } from '../../core/deployments.ts';
import { UserError } from '../../core/errors.ts';
import { formatDuration } from '../../core/format.ts';
import { statusEmoji } from '../../core/messages.ts';
import type { RenderContext } from '../../core/notify/run-message.ts';
import { runMessage, runSubject, runTitle } from '../../core/notify/run-message.ts';
import type { RunService } from '../../core/runs.ts';
import type { DeploymentStore } from '../../core/store.ts';

export const status = defineCommand<{
  catalog: Catalog;
  runs: RunService;
  deployments: DeploymentStore;
  render: RenderContext;
}>({
  name: 'status',
  summary: 'Show recent runs and what is deployed where, or one run in detail.',
  readOnly: true,
  args: [{ name: 'run-id', type: 'run-id', description: 'a run number for its details' }],
  examples: ['status', 'status 12'],
  async handle(args, _who, deps) {
    const id = args['run-id'];
    if (id) {
      const run = await deps.runs.get(Number(id));
      if (!run) throw new UserError(`There is no run #${id}. \`/ci status\` lists recent runs.`);
      const message = runMessage(run, deps.render);
      const steps = run.steps.map((s) => {
        const took = s.durationMs !== undefined ? ` (${formatDuration(s.durationMs)})` : '';
        return `${statusEmoji[s.status]} ${s.index + 1}. ${s.name} ${s.status}${took}`;
      });
      if (steps.length) message.text = [message.text, 'Steps:', ...steps].filter(Boolean).join('\n');
      delete message.buttons;
      return { message };
    }
    const runs = await deps.runs.recent(10);
    const lines = runs.map((r) => {
      const by = deps.render.mention(r.requestedBy);
      return `${statusEmoji[r.status]} ${runTitle(r)} ${r.status} — ${runSubject(r)} by ${by}`;
    });
    const envs: string[] = [];
    for (const env of deps.catalog.environments) {
      const live = await currentDeployment(deps.deployments, env.name);
      envs.push(
        `${env.name}: ${live ? `\`${live.version}\` (run #${live.runId}, ${live.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC)` : 'nothing deployed yet'}`,
      );
    }
    return {
      message: {
        header: 'Status',
        status: 'info',
        text: [
          runs.length ? 'Recent runs:' : 'No runs yet. Try `/ci build`.',
          ...lines,
          ...(envs.length ? ['', 'Deployed:', ...envs] : []),
        ].join('\n'),
      },
    };
  },
});
