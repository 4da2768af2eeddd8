import type { Catalog } from '../../core/catalog.ts';
import { defineCommand } from '../../core/commands/types.ts';
import { ensureUnlocked } from '../../core/locks.ts';
import { type RenderContext, replyMessage } from '../../core/notify/run-message.ts';
import type { Clock } from '../../core/ports.ts';
import type { RunService } from '../../core/runs.ts';
import type { DeploymentStore, LockStore } from '../../core/store.ts';
import { deployPreview } from './preview.ts';

export const deploy = defineCommand<{
  catalog: Catalog;
  runs: RunService;
  render: RenderContext;
  locks: LockStore;
  clock: Clock;
  deployments: DeploymentStore;
}>({
  name: 'deploy',
  summary: 'Deploy a version (tag, branch or commit) to an environment; the default branch when omitted.',
  args: [
    { name: 'environment', type: 'environment', required: true, description: 'where to deploy' },
    { name: 'version', type: 'version', description: 'tag, semantic version or commit SHA' },
  ],
  flags: [
    {
      name: 'break-glass',
      type: 'text',
      value: 'REASON',
      description: 'during a freeze: why it cannot wait (asks for a break-glass approval)',
    },
  ],
  examples: ['deploy staging', 'deploy production v2.1.0', 'deploy staging 3f2c1ab'],
  touches: { environment: 'environment' },
  describe: (args) =>
    `deploy ${args.version ? `\`${args.version}\`` : 'the default branch'} to \`${args.environment}\``,
  preview: deployPreview,
  pending: (args, who) =>
    `Deploying \`${args.environment}\`${args.version ? ` \`${args.version}\`` : ''}, triggered by ${who}…`,
  async handle(args, who, deps) {
    const pipeline = deps.catalog.pipelineFor('deploy');
    const environment = args.environment as string;
    await ensureUnlocked(deps.locks, environment, who.person.id, deps.clock.now(), deps.render.mention);
    const version = args.version ?? deps.catalog.defaultBranch(pipeline);
    await deps.catalog.ensureVersion(pipeline, version);
    const run = await deps.runs.start({
      kind: 'deploy',
      pipeline,
      ref: version,
      version,
      environment,
      requestedBy: who.person.id,
      source: { platform: who.platform, channel: who.channel },
      origin: who.origin,
    });
    return { message: replyMessage(run, deps.render), runId: run.id };
  },
});
