import type { Catalog } from '../../core/catalog.ts';
import { defineCommand } from '../../core/commands/types.ts';
import { rollbackTarget } from '../../core/deployments.ts';
import { UserError } from '../../core/errors.ts';
import { ensureUnlocked } from '../../core/locks.ts';
import { type RenderContext, replyMessage } from '../../core/notify/run-message.ts';
import type { Clock } from '../../core/ports.ts';
import type { RunService } from '../../core/runs.ts';
import type { DeploymentStore, LockStore } from '../../core/store.ts';

export const rollback = defineCommand<{
  catalog: Catalog;
  runs: RunService;
  deployments: DeploymentStore;
  render: RenderContext;
  locks: LockStore;
  clock: Clock;
}>({
  name: 'rollback',
  summary: 'Redeploy the last successful version before the current one.',
  args: [
    { name: 'environment', type: 'environment', required: true, description: 'environment to roll back' },
  ],
  flags: [
    {
      name: 'break-glass',
      type: 'text',
      value: 'REASON',
      description: 'during a freeze: why it cannot wait (asks for a break-glass approval)',
    },
  ],
  examples: ['rollback staging', 'rollback production'],
  touches: { environment: 'environment' },
  describe: (args) => `roll back \`${args.environment}\``,
  pending: (args, who) => `Rolling back \`${args.environment}\`, triggered by ${who}…`,
  async handle(args, who, deps) {
    const pipeline = deps.catalog.pipelineFor('rollback');
    const environment = args.environment as string;
    await ensureUnlocked(deps.locks, environment, who.person.id, deps.clock.now(), deps.render.mention);
    const { current, target } = await rollbackTarget(deps.deployments, environment);
    if (!current)
      throw new UserError(`Nothing to roll back: \`${environment}\` has no successful deployment yet.`);
    if (!target) {
      throw new UserError(
        `Nothing to roll back to: \`${environment}\` runs \`${current.version}\` and no earlier successful version is recorded.`,
      );
    }
    // A branch has moved on since it was deployed: roll back to the commit that was live.
    const moved = target.commitSha && (await deps.catalog.branches(pipeline)).includes(target.version);
    const version = moved ? (target.commitSha as string).slice(0, 12) : target.version;
    const run = await deps.runs.start({
      kind: 'rollback',
      pipeline,
      ref: version,
      version,
      environment,
      restoresId: target.id,
      requestedBy: who.person.id,
      source: { platform: who.platform, channel: who.channel },
      origin: who.origin,
    });
    return { message: replyMessage(run, deps.render), runId: run.id };
  },
});
