/** CircleCI as a CI system module. */
import type { CiSystemModule } from '../../modules/ci-system.ts';
import { needsRepositoryKey } from '../config-parts.ts';
import { circleciConfig } from './config.ts';
import { circleciCredentials } from './settings.ts';

export const circleciSystem: CiSystemModule = {
  name: 'circleci',
  config: { ...circleciConfig, check: needsRepositoryKey('circleci') },
  runsOutliveDeckhand: true,
  secretVariables: ['CIRCLECI_TOKEN', 'CIRCLECI_WEBHOOK_SECRET'],
  credentials: circleciCredentials,
  create: async (context) => (await import('./index.ts')).createCircleciAdapter(context),
};
