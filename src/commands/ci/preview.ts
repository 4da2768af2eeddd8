/** What an approval request shows of a deploy: the live version, the commits it brings, a diff link. */
import type { Catalog } from '../../core/catalog.ts';
import type { Args } from '../../core/commands/types.ts';
import { currentDeployment } from '../../core/deployments.ts';
import type { DeploymentStore, Preview } from '../../core/store.ts';

/** Commits listed on the card; the rest are counted. */
const SHOWN = 5;

export async function deployPreview(
  args: Args,
  deps: { catalog: Catalog; deployments: DeploymentStore },
): Promise<Preview | undefined> {
  if (!args.environment) return undefined;
  const current = await currentDeployment(deps.deployments, args.environment);
  if (!current) return undefined;
  const pipeline = deps.catalog.pipelineFor('deploy');
  const to = args.version ?? deps.catalog.defaultBranch(pipeline);
  const from = current.commitSha ?? current.version;
  const comparison = await deps.catalog.provider(pipeline)?.compare?.(pipeline, from, to);
  if (!comparison) return { current: current.version, commits: [] };
  return {
    current: current.version,
    commits: comparison.commits
      .slice(0, SHOWN)
      .map(
        (c) =>
          `\`${c.sha.slice(0, 7)}\` ${c.message.split('\n')[0]?.slice(0, 80)}${c.author ? ` (${c.author})` : ''}`,
      ),
    total: comparison.total,
    url: comparison.url,
  };
}
