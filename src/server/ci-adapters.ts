/** Builds the CI adapters the config uses, beside the local runner. */
import type { CiAdapter, CiAdapterContext, CiAdapterFactory } from '../ci/adapter.ts';
import type { ProviderName } from '../config/providers.ts';

/**
 * Every remote CI system deckhand can drive, by the name pipelines use. Each is loaded only when
 * the config uses it: their SDKs cost start-up time and memory.
 */
const factories: Partial<Record<ProviderName, () => Promise<CiAdapterFactory>>> = {
  github: async () => (await import('../ci/github/index.ts')).createGithubAdapter,
  gitlab: async () => (await import('../ci/gitlab/index.ts')).createGitlabAdapter,
  jenkins: async () => (await import('../ci/jenkins/index.ts')).createJenkinsAdapter,
  circleci: async () => (await import('../ci/circleci/index.ts')).createCircleciAdapter,
};

/** One adapter per provider that a pipeline runs on or that `providers:` configures. */
export async function createCiAdapters(
  context: CiAdapterContext,
  extra: Partial<Record<ProviderName, CiAdapterFactory>> = {},
): Promise<CiAdapter[]> {
  const { config } = context;
  const used = new Set<string>(Object.values(config.pipelines).map((p) => p.provider));
  for (const [name, settings] of Object.entries(config.providers)) if (settings) used.add(name);
  const adapters: CiAdapter[] = [];
  for (const name of used) {
    const factory = extra[name as ProviderName] ?? (await factories[name as ProviderName]?.());
    if (factory) adapters.push(factory(context));
  }
  return adapters;
}
