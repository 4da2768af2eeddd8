/**
 * What deckhand sends to start a pipeline: a branch or a tag, and pipeline parameters built from
 * `pipelines.<name>.circleci.parameters`. Parameters are typed in config.yml and deckhand sends
 * strings, so each must be declared `type: string`. Limits: 100 parameters, names up to 128 and
 * values up to 512 characters (https://circleci.com/docs/pipeline-variables/).
 */
import { ProviderError } from '../../core/errors.ts';
import type { RunSpec } from '../../core/ports.ts';
import { semverPattern, shaPattern } from '../../core/refs.ts';
import { mapInputs } from '../inputs.ts';
import type { TriggerBody } from './client.ts';

/** The parameter values for a run: CI parameter name → deckhand value or `=literal`. */
export function pipelineParameters(mapping: Record<string, string>, spec: RunSpec): Record<string, string> {
  const parameters = mapInputs(mapping, spec);
  const names = Object.keys(parameters);
  if (names.length > 100)
    throw new ProviderError(
      `CircleCI takes at most 100 pipeline parameters; ${spec.pipeline} maps ${names.length}.`,
    );
  for (const [name, value] of Object.entries(parameters)) {
    if (name.length > 128)
      throw new ProviderError(
        `CircleCI takes parameter names of at most 128 characters: shorten '${name.slice(0, 40)}…'.`,
      );
    if (value.length > 512)
      throw new ProviderError(
        `CircleCI takes parameter values of at most 512 characters; '${name}' would get ${value.length}.`,
      );
  }
  return parameters;
}

/**
 * Branch or tag. Builds and tests run a branch. A deploy's version is a tag when it looks like a
 * version (`v1.2.0`), a branch when CircleCI has seen it as one, and otherwise a tag; a commit
 * cannot be started on CircleCI (its trigger API takes no revision).
 */
export async function triggerTarget(
  spec: RunSpec,
  branches: () => Promise<string[]>,
): Promise<Pick<TriggerBody, 'branch' | 'tag'>> {
  if (spec.kind === 'build' || spec.kind === 'test') return { branch: spec.params.branch ?? spec.ref };
  const version = spec.params.version ?? spec.ref;
  if (semverPattern.test(version)) return { tag: version };
  if ((await branches()).includes(version)) return { branch: version };
  if (shaPattern.test(version))
    throw new ProviderError(
      `CircleCI starts pipelines at a branch or a tag, not at commit ${version}: deploy a tag or a branch instead.`,
    );
  return { tag: version };
}
