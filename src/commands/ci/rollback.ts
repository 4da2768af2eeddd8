import type { Catalog } from '../../core/catalog.ts';
import { type Args, defineCommand } from '../../core/commands/types.ts';
import { rollbackTarget, succeededVersions, succeededWith } from '../../core/deployments.ts';
import { UserError } from '../../core/errors.ts';
import { ensureUnlocked } from '../../core/locks.ts';
import { type RenderContext, replyMessage } from '../../core/notify/run-message.ts';
import type { Clock } from '../../core/ports.ts';
import type { RunService } from '../../core/runs.ts';
import type { DeploymentRecord, DeploymentStore, LockStore, Preview } from '../../core/store.ts';

type Deps = {
  catalog: Catalog;
  runs: RunService;
  deployments: DeploymentStore;
  render: RenderContext;
  locks: LockStore;
  clock: Clock;
};

/**
 * What a rollback goes from and to: the live deployment, and the one it restores (the previous
 * successful version, or the one asked for, which must have succeeded there).
 */
export async function rollbackPlan(
  deployments: DeploymentStore,
  environment: string,
  version?: string,
): Promise<{ current: DeploymentRecord; target: DeploymentRecord }> {
  const { current, target } = await rollbackTarget(deployments, environment);
  if (!current)
    throw new UserError(`Nothing to roll back: \`${environment}\` has no successful deployment yet.`);
  if (version) {
    const asked = await succeededWith(deployments, environment, version);
    if (!asked) {
      const known = (await succeededVersions(deployments, environment)).slice(0, 15);
      throw new UserError(
        `\`${version}\` was never deployed successfully to \`${environment}\`; versions that were: ${known.map((v) => `\`${v}\``).join(', ')}.`,
      );
    }
    if (asked.id === current.id || (asked.commitSha && asked.commitSha === current.commitSha))
      throw new UserError(`\`${environment}\` already runs \`${current.version}\`: nothing to roll back.`);
    return { current, target: asked };
  }
  if (!target) {
    throw new UserError(
      `Nothing to roll back to: \`${environment}\` runs \`${current.version}\` and no earlier successful version is recorded.`,
    );
  }
  return { current, target };
}

/** The cards show what it rolls back from and to before anyone is asked. */
async function rollbackPreview(args: Args, deps: Deps): Promise<Preview | undefined> {
  if (!args.environment) return undefined;
  // A version never deployed there is refused before anyone is asked; the rest when it runs.
  if (!args.version && !(await rollbackTarget(deps.deployments, args.environment)).target) return undefined;
  const { current, target } = await rollbackPlan(deps.deployments, args.environment, args.version);
  return { current: current.version, to: target.version, commits: [] };
}

export const rollback = defineCommand<Deps>({
  name: 'rollback',
  summary: 'Redeploy the last successful version before the current one, or an earlier one named.',
  args: [
    { name: 'environment', type: 'environment', required: true, description: 'environment to roll back' },
    {
      name: 'version',
      type: 'version',
      description: 'a version that succeeded there before (default: the one before the live one)',
    },
  ],
  flags: [
    {
      name: 'break-glass',
      type: 'text',
      value: 'REASON',
      description: 'during a freeze: why it cannot wait (asks for a break-glass approval)',
    },
  ],
  examples: ['rollback staging', 'rollback production', 'rollback production v2.0.1'],
  touches: { environment: 'environment' },
  describe: (args) =>
    args.version
      ? `roll back \`${args.environment}\` to \`${args.version}\``
      : `roll back \`${args.environment}\``,
  preview: rollbackPreview,
  pending: (args, who) => `Rolling back \`${args.environment}\`, triggered by ${who}…`,
  async handle(args, who, deps) {
    const pipeline = deps.catalog.pipelineFor('rollback');
    const environment = args.environment as string;
    await ensureUnlocked(deps.locks, environment, who.person.id, deps.clock.now(), deps.render.mention);
    const { target } = await rollbackPlan(deps.deployments, environment, args.version);
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
