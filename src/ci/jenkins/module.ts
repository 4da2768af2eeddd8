/** Jenkins as a CI system module. */
import type { CiSystemModule } from '../../modules/ci-system.ts';
import { needsPipelineKey } from '../config-parts.ts';
import { jenkinsConfig } from './config.ts';
import { jenkinsCredentials } from './settings.ts';

export const jenkinsSystem: CiSystemModule = {
  name: 'jenkins',
  config: { ...jenkinsConfig, check: needsPipelineKey('jenkins', '{ job: name }') },
  runsOutliveDeckhand: true,
  secretVariables: ['JENKINS_TOKEN', 'JENKINS_WEBHOOK_TOKEN'],
  credentials: jenkinsCredentials,
  create: async (context) => (await import('./index.ts')).createJenkinsAdapter(context),
};
