import type { Catalog } from '../../core/catalog.ts';
import { defineCommand } from '../../core/commands/types.ts';
import { type RenderContext, replyMessage } from '../../core/notify/run-message.ts';
import type { RunService } from '../../core/runs.ts';

export const build = defineCommand<{ catalog: Catalog; runs: RunService; render: RenderContext }>({
  name: 'build',
  summary: 'Build a branch (the default branch when none is given).',
  args: [{ name: 'branch', type: 'branch', description: 'branch to build' }],
  examples: ['build', 'build main', 'build release/1.0'],
  pending: (args, who) => `Building \`${args.branch ?? 'the default branch'}\`, triggered by ${who}…`,
  async handle(args, who, deps) {
    const pipeline = deps.catalog.pipelineFor('build');
    const branch = args.branch ?? deps.catalog.defaultBranch(pipeline);
    await deps.catalog.ensureBranch(pipeline, branch);
    const run = await deps.runs.start({
      kind: 'build',
      pipeline,
      ref: branch,
      requestedBy: who.person.id,
      source: { platform: who.platform, channel: who.channel },
      origin: who.origin,
    });
    return { message: replyMessage(run, deps.render), runId: run.id };
  },
});
