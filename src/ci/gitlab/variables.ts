/** A run's values as GitLab pipeline variables, as `pipelines.<name>.gitlab.variables` maps them. */
import type { RunSpec } from '../../core/ports.ts';
import { mapInputs } from '../inputs.ts';
import type { PipelineVariable } from './client.ts';

/**
 * `{ DEPLOY_ENV: environment, CHANNEL: "=stable" }` → `[{ key: 'DEPLOY_ENV', value: 'staging' }, …]`.
 * Values travel only in the request body, never in a URL; a value the run does not have is left out.
 */
export function pipelineVariables(mapping: Record<string, string>, spec: RunSpec): PipelineVariable[] {
  return Object.entries(mapInputs(mapping, spec)).map(([key, value]) => ({ key, value }));
}
