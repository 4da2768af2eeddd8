/** `/ci promote <from> <to>`: deploys what runs in one environment to another, through the deploy's gates. */
import type { Catalog } from '../../core/catalog.ts';
import { type Args, defineCommand } from '../../core/commands/types.ts';
import { isVersion, promotedVersion } from '../../core/deployments.ts';
import { UserError } from '../../core/errors.ts';
import { ensureUnlocked } from '../../core/locks.ts';
import { type RenderContext, replyMessage } from '../../core/notify/run-message.ts';
import type { Clock } from '../../core/ports.ts';
import type { RunService } from '../../core/runs.ts';
import type { DeploymentRecord, DeploymentStore, LockStore, Preview } from '../../core/store.ts';
import { deployPreview } from './preview.ts';

type Deps = {
  catalog: Catalog;
  runs: RunService;
  render: RenderContext;
  locks: LockStore;
  clock: Clock;
  deployments: DeploymentStore;
};

/** The ref to deploy: a branch that moved on since is deployed at the commit that was promoted. */
async function refOf(live: DeploymentRecord, pipeline: string, catalog: Catalog): Promise<string> {
  const moved = live.commitSha && (await catalog.branches(pipeline)).includes(live.version);
  return moved ? (live.commitSha as string).slice(0, 12) : live.version;
}

/** What the cards show: the target's live version, what it becomes, the commits between. */
async function promotePreview(args: Args, deps: Deps): Promise<Preview | undefined> {
  if (!args.from || !args.environment) return undefined;
  const live = await promotedVersion(deps.deployments, args.from);
  const ref = await refOf(live, deps.catalog.pipelineFor('deploy'), deps.catalog);
  const preview = await deployPreview({ environment: args.environment, version: ref }, deps);
  return { commits: [], ...preview, to: live.version };
}

export const promote = defineCommand<Deps>({
  name: 'promote',
  summary: 'Deploy the version live in one environment to another (the order and every deploy gate apply).',
  args: [
    { name: 'from', type: 'environment', required: true, description: 'where the version runs now' },
    { name: 'environment', type: 'environment', required: true, description: 'where it goes (to)' },
  ],
  flags: [
    {
      name: 'break-glass',
      type: 'text',
      value: 'REASON',
      description: 'during a freeze or out of order: why it cannot wait (asks for a break-glass approval)',
    },
  ],
  examples: ['promote staging production'],
  touches: { environment: 'environment' },
  describe: (args) => `promote \`${args.from}\` to \`${args.environment}\``,
  preview: promotePreview,
  pending: (args, who) => `Promoting \`${args.from}\` to \`${args.environment}\`, triggered by ${who}…`,
  async handle(args, who, deps) {
    const from = args.from as string;
    const environment = args.environment as string;
    if (from === environment)
      throw new UserError(`Promote from one environment to another, not \`${from}\` to itself.`);
    const pipeline = deps.catalog.pipelineFor('deploy');
    await ensureUnlocked(deps.locks, environment, who.person.id, deps.clock.now(), deps.render.mention);
    const live = await promotedVersion(deps.deployments, from);
    const there = await deps.deployments.current(environment);
    if (there && isVersion(there, live.version, live.commitSha))
      throw new UserError(
        `\`${environment}\` already runs \`${live.version}\`, as \`${from}\` does: nothing to promote.`,
      );
    const ref = await refOf(live, pipeline, deps.catalog);
    const run = await deps.runs.start({
      kind: 'deploy',
      pipeline,
      ref,
      version: ref,
      environment,
      requestedBy: who.person.id,
      source: { platform: who.platform, channel: who.channel },
      origin: who.origin,
    });
    return { message: replyMessage(run, deps.render), runId: run.id };
  },
});
