/** GitLab CI as a CI system module; its SDK loads only when a pipeline or `providers.gitlab` uses it. */
import type { CiSystemModule } from '../../modules/ci-system.ts';
import { needsRepositoryKey } from '../config-parts.ts';
import { gitlabConfig } from './config.ts';
import { gitlabCredentials } from './settings.ts';

export const gitlabSystem: CiSystemModule = {
  name: 'gitlab',
  config: { ...gitlabConfig, check: needsRepositoryKey('gitlab') },
  runsOutliveDeckhand: true,
  secretVariables: ['GITLAB_TOKEN', 'GITLAB_WEBHOOK_TOKEN'],
  credentials: gitlabCredentials,
  create: async (context) => (await import('./index.ts')).createGitlabAdapter(context),
};
