/** Builds the CI adapters the config uses, beside the local runner. */
import type { CiAdapter, CiAdapterContext, CiAdapterFactory } from '../ci/adapter.ts';
import { createCircleciAdapter } from '../ci/circleci/index.ts';
import { createGithubAdapter } from '../ci/github/index.ts';
import { createGitlabAdapter } from '../ci/gitlab/index.ts';
import { createJenkinsAdapter } from '../ci/jenkins/index.ts';
import type { ProviderName } from '../config/providers.ts';

/** Every remote CI system deckhand can drive, by the name pipelines use. */
const factories: Partial<Record<ProviderName, CiAdapterFactory>> = {
  github: createGithubAdapter,
  gitlab: createGitlabAdapter,
  jenkins: createJenkinsAdapter,
  circleci: createCircleciAdapter,
};

/** One adapter per provider that a pipeline runs on or that `providers:` configures. */
export function createCiAdapters(
  context: CiAdapterContext,
  extra: Partial<Record<ProviderName, CiAdapterFactory>> = {},
): CiAdapter[] {
  const { config } = context;
  const used = new Set<string>(Object.values(config.pipelines).map((p) => p.provider));
  for (const [name, settings] of Object.entries(config.providers)) if (settings) used.add(name);
  const adapters: CiAdapter[] = [];
  for (const name of used) {
    const factory = extra[name as ProviderName] ?? factories[name as ProviderName];
    if (factory) adapters.push(factory(context));
  }
  return adapters;
}
