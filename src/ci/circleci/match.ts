/** Which deckhand pipeline a CircleCI project's pipeline belongs to. */
import type { LoadedConfig } from '../../config/load.ts';
import { circleciRepoOf } from './config.ts';
import { sameProject } from './slug.ts';

type Config = Pick<LoadedConfig, 'pipelines' | 'repositories' | 'commands'>;

/** A deckhand pipeline that runs on CircleCI, with its project slug and repository. */
export interface CircleciPipeline {
  name: string;
  slug: string;
  repository: string;
  defaultBranch: string;
}

/** Every pipeline whose provider is `circleci` and whose repository names a CircleCI project. */
export function circleciPipelines(config: Config): CircleciPipeline[] {
  const found: CircleciPipeline[] = [];
  for (const [name, p] of Object.entries(config.pipelines)) {
    const repo = config.repositories[p.repository];
    const slug = circleciRepoOf(repo);
    if (p.provider !== 'circleci' || !repo || !slug) continue;
    found.push({ name, slug, repository: p.repository, defaultBranch: repo.defaultBranch });
  }
  return found;
}

/** The CircleCI coordinates of one deckhand pipeline. */
export function pipelineInfo(config: Config, name: string): CircleciPipeline | undefined {
  return circleciPipelines(config).find((p) => p.name === name);
}

/**
 * The deckhand pipeline for a project's pipeline. Several deckhand pipelines often share one
 * CircleCI project (config.yml picks workflows by parameter), so the choice goes: the pipeline
 * deckhand triggered it for, else the one named like the workflow, else the build command's, else
 * the first listed. Undefined for projects deckhand does not know.
 */
export function matchPipeline(
  config: Config,
  projectSlug: string,
  hints: { triggeredFor?: string; workflowName?: string } = {},
): string | undefined {
  const candidates = circleciPipelines(config).filter((p) => sameProject(p.slug, projectSlug));
  if (candidates.length === 0) return undefined;
  const names = candidates.map((c) => c.name);
  if (hints.triggeredFor && names.includes(hints.triggeredFor)) return hints.triggeredFor;
  if (hints.workflowName && names.includes(hints.workflowName)) return hints.workflowName;
  const build = config.commands.build?.pipeline;
  if (build && names.includes(build)) return build;
  return names[0];
}
