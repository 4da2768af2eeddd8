/** GitHub Actions as a CI system module; its SDKs load only when a pipeline or `providers.github` uses it. */
import type { CiSystemModule } from '../../modules/ci-system.ts';
import { allOf, needsPipelineKey, needsRepositoryKey } from '../config-parts.ts';
import { githubConfig } from './config.ts';
import { githubCredentials } from './settings.ts';

export const githubSystem: CiSystemModule = {
  name: 'github',
  config: {
    ...githubConfig,
    check: allOf(needsPipelineKey('github', '{ workflow: build.yml }'), needsRepositoryKey('github')),
  },
  runsOutliveDeckhand: true,
  secretVariables: ['GITHUB_TOKEN', 'GITHUB_APP_PRIVATE_KEY', 'GITHUB_WEBHOOK_SECRET'],
  credentials: githubCredentials,
  create: async (context) => (await import('./index.ts')).createGithubAdapter(context),
};
