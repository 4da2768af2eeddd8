/** deckhand pipelines that run on Jenkins: their job, parameter mapping, and matching builds back to them. */
import type { LoadedConfig } from '../../config/load.ts';
import { UserError } from '../../core/errors.ts';
import type { RunSpec } from '../../core/ports.ts';
import { jenkinsPipelineOf } from './config.ts';
import { branchOfItemName, jobItems, leafOf, parentOf } from './paths.ts';

/** One pipeline's Jenkins settings, resolved. */
export interface JenkinsPipeline {
  name: string;
  /** Job full name as configured: `app`, `folder/app`, or a multibranch project `folder/multi`. */
  job: string;
  /** Jenkins parameter name → deckhand value (`branch`, `version`, …, or `=literal`). */
  parameters: Record<string, string>;
  defaultBranch: string;
}

/** Every pipeline whose provider is `jenkins`. */
export function jenkinsPipelines(config: LoadedConfig): JenkinsPipeline[] {
  return Object.entries(config.pipelines).flatMap(([name, p]) => {
    const settings = jenkinsPipelineOf(p);
    if (p.provider !== 'jenkins' || !settings) return [];
    const job = jobItems(settings.job).join('/');
    const defaultBranch = config.repositories[p.repository]?.defaultBranch ?? 'main';
    return [{ name, job, parameters: settings.parameters, defaultBranch }];
  });
}

/** The Jenkins settings of one pipeline; a clear error when it does not run on Jenkins. */
export function pipelineNamed(config: LoadedConfig, name: string): JenkinsPipeline {
  const found = jenkinsPipelines(config).find((p) => p.name === name);
  if (!found)
    throw new UserError(
      `Pipeline \`${name}\` does not run on Jenkins: set \`provider: jenkins\` and \`jenkins: { job: … }\`.`,
    );
  return found;
}

/** The Jenkins parameters for a run: each mapped deckhand value, as plain form values. */
export function mapParameters(mapping: Record<string, string>, spec: RunSpec): Record<string, string> {
  const values: Record<string, string | undefined> = {
    branch: spec.params.branch ?? spec.ref,
    version: spec.params.version ?? spec.ref,
    environment: spec.params.environment,
    suite: spec.params.suite,
    requested_by: spec.params.requested_by,
    run_id: String(spec.runId),
    ref: spec.ref,
  };
  const out: Record<string, string> = {};
  for (const [name, source] of Object.entries(mapping)) {
    const value = source.startsWith('=') ? source.slice(1) : values[source];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** The value a build was given for a deckhand value, read back through the pipeline's mapping. */
export function mappedValue(
  pipeline: JenkinsPipeline,
  parameters: Record<string, string>,
  sources: string[],
): string | undefined {
  for (const source of sources) {
    for (const [name, from] of Object.entries(pipeline.parameters)) {
      const value = parameters[name];
      if (from === source && typeof value === 'string' && value !== '') return value;
    }
  }
  return undefined;
}

/** A build's job matched to a pipeline; `branch` when the job is a branch of a multibranch project. */
export interface PipelineMatch {
  pipeline: JenkinsPipeline;
  branch?: string;
}

/** The pipeline a job belongs to: the job itself, or a branch job inside the configured project. */
export function matchJob(pipelines: JenkinsPipeline[], fullName: string): PipelineMatch | undefined {
  const exact = pipelines.find((p) => p.job === fullName);
  if (exact) return { pipeline: exact };
  const parent = parentOf(fullName);
  const branchOf = parent ? pipelines.find((p) => p.job === parent) : undefined;
  return branchOf ? { pipeline: branchOf, branch: branchOfItemName(leafOf(fullName)) } : undefined;
}

/** A git plugin branch name as a plain branch (`origin/main`, `refs/heads/main` → `main`). */
export function plainBranch(name: string | undefined): string | undefined {
  if (!name) return undefined;
  return name.replace(/^refs\/heads\//, '').replace(/^(?:refs\/remotes\/)?origin\//, '') || undefined;
}
