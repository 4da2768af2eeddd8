/** A CI system's parts of the config: typed readers of its keys, and the checks it adds. */
import type { z } from 'zod';
import type { ConfigIssue } from '../config/extensions.ts';
import type { Config, PipelineConfig, RepositoryConfig } from '../config/schema.ts';

/**
 * Readers of what a system's schemas validated: `providers.<name>`, `pipelines.<p>.<name>` and
 * `repositories.<r>.<name>` (the config leaves them untyped; their module knows their shape).
 */
export function configParts<C extends z.ZodType, P extends z.ZodType, R extends z.ZodType = z.ZodNever>(
  name: string,
  parts: { connection: C; pipeline: P; repository?: R },
) {
  return {
    parts,
    connection: (config: Pick<Config, 'providers'>) => config.providers[name] as z.output<C> | undefined,
    pipelineOf: (p: PipelineConfig | undefined) => p?.[name] as z.output<P> | undefined,
    repositoryOf: (r: RepositoryConfig | undefined) => r?.[name] as z.output<R> | undefined,
  };
}

type Check = (config: Config, issue: ConfigIssue) => void;

/** Pipelines on `system` need their own `system:` key (e.g. `github: { workflow: build.yml }`). */
export const needsPipelineKey =
  (system: string, example: string): Check =>
  (config, issue) => {
    for (const [name, p] of Object.entries(config.pipelines)) {
      if (p.provider === system && p[system] === undefined)
        issue(['pipelines', name], `a ${system} pipeline needs \`${system}: ${example}\``);
    }
  };

/** Repositories of pipelines on `system` need its name there (`github: owner/repo`). */
export const needsRepositoryKey =
  (system: string): Check =>
  (config, issue) => {
    for (const [name, p] of Object.entries(config.pipelines)) {
      const repo = config.repositories[p.repository];
      if (p.provider === system && repo && repo[system] === undefined)
        issue(
          ['repositories', p.repository],
          `pipeline "${name}" runs on ${system}: set \`${system}:\` here`,
        );
    }
  };

/** All of the checks, in order. */
export const allOf =
  (...checks: Check[]): Check =>
  (config, issue) => {
    for (const check of checks) check(config, issue);
  };
