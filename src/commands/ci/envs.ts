/** `/ci envs`: what is live in each environment, who put it there through which CI system, what waits. */
import type { Catalog } from '../../core/catalog.ts';
import { defineCommand } from '../../core/commands/types.ts';
import { isVersion, shownVersion, startedOutside, when } from '../../core/deployments.ts';
import type { RenderContext } from '../../core/notify/run-message.ts';
import type { RunService } from '../../core/runs.ts';
import type { DeploymentRecord, DeploymentStore } from '../../core/store.ts';

type Deps = { catalog: Catalog; runs: RunService; deployments: DeploymentStore; render: RenderContext };

/** One environment's lines. */
async function describe(
  name: string,
  live: DeploymentRecord | undefined,
  before: { name: string; live?: DeploymentRecord } | undefined,
  deps: Deps,
): Promise<string[]> {
  const lines: string[] = [];
  if (!live) lines.push(`${name}: nothing deployed yet`);
  else {
    const run = await deps.runs.get(live.runId);
    const via = run ? ` via ${run.provider}` : '';
    const what = live.kind === 'rollback' ? ' (a rollback)' : '';
    lines.push(
      `${name}: ${shownVersion(live)}${what} — ${when(live.finishedAt ?? live.createdAt)} by ${deps.render.mention(live.requestedBy)}${via}, run #${live.runId}`,
    );
    if (run && startedOutside(run))
      lines.push(
        `  ⚠️ changed outside deckhand: ${run.provider} deployed ${shownVersion(live)} at ${when(live.createdAt)} without a command here`,
      );
  }
  const [newest] = await deps.deployments.history(name, 1);
  if (newest && newest.result === 'pending')
    lines.push(`  deploying \`${newest.version}\` now (run #${newest.runId})`);
  const waiting = before?.live;
  if (before && waiting && !(live && isVersion(live, waiting.version, waiting.commitSha)))
    lines.push(
      `  waiting to be promoted: ${shownVersion(waiting)} from ${before.name} — \`/ci promote ${before.name} ${name}\``,
    );
  return lines;
}

export const envs = defineCommand<Deps>({
  name: 'envs',
  summary: 'What is deployed where: version, when, by whom, through which CI system, and what waits.',
  readOnly: true,
  args: [],
  examples: ['envs'],
  async handle(_args, _who, deps) {
    const environments = deps.catalog.environments;
    if (environments.length === 0)
      return {
        message: { status: 'info', text: 'No environments are configured: add them under `environments`.' },
      };
    const lines: string[] = [];
    let before: { name: string; live?: DeploymentRecord } | undefined;
    for (const env of environments) {
      const live = await deps.deployments.current(env.name);
      lines.push(...(await describe(env.name, live, before, deps)));
      before = { name: env.name, live };
    }
    return { message: { status: 'info', header: 'Environments', text: lines.join('\n') } };
  },
});
