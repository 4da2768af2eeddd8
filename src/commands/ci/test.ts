import type { Catalog } from '../../core/catalog.ts';
import { defineCommand } from '../../core/commands/types.ts';
import { UserError } from '../../core/errors.ts';
import { type RenderContext, replyMessage } from '../../core/notify/run-message.ts';
import type { RunService } from '../../core/runs.ts';

export const test = defineCommand<{ catalog: Catalog; runs: RunService; render: RenderContext }>({
  name: 'test',
  summary: 'Run a test suite on a branch; failed tests are listed in the result.',
  args: [{ name: 'suite', type: 'suite', description: 'suite to run (the default suite when omitted)' }],
  flags: [{ name: 'branch', type: 'branch', description: 'branch to test (default branch when omitted)' }],
  examples: ['test', 'test integration', 'test integration --branch develop'],
  pending: (args, who) =>
    `Running ${args.suite ? `\`${args.suite}\`` : 'the default'} tests on \`${args.branch ?? 'the default branch'}\`, triggered by ${who}…`,
  async handle(args, who, deps) {
    const pipeline = deps.catalog.pipelineFor('test');
    const suite = args.suite ?? deps.catalog.defaultSuite;
    if (!suite)
      throw new UserError('No test suites are configured: add `commands.test.suites` to deckhand.yaml.');
    const branch = args.branch ?? deps.catalog.defaultBranch(pipeline);
    await deps.catalog.ensureBranch(pipeline, branch);
    const run = await deps.runs.start({
      kind: 'test',
      pipeline,
      ref: branch,
      suite,
      requestedBy: who.person.id,
      source: { platform: who.platform, channel: who.channel },
      origin: who.origin,
    });
    return { message: replyMessage(run, deps.render), runId: run.id };
  },
});
