/** Every secret value this process holds, so the redactor can mask it wherever it appears. */
import type { CiAdapter } from '../ci/adapter.ts';
import type { LoadedConfig } from '../config/load.ts';

const conventional = [
  'SLACK_SIGNING_SECRET',
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'GITHUB_TOKEN',
  'GITHUB_APP_PRIVATE_KEY',
  'GITHUB_WEBHOOK_SECRET',
  'GITLAB_TOKEN',
  'GITLAB_WEBHOOK_TOKEN',
  'JENKINS_TOKEN',
  'JENKINS_WEBHOOK_TOKEN',
  'CIRCLECI_TOKEN',
  'CIRCLECI_WEBHOOK_SECRET',
  'VAULT_TOKEN',
];

export function secretValues(
  config: LoadedConfig,
  env: Record<string, string | undefined>,
  adapters: CiAdapter[],
): string[] {
  const slack = config.slack;
  return [
    ...config.secrets,
    ...conventional.map((name) => env[name]),
    slack?.signingSecret,
    slack?.botToken,
    slack?.appToken,
    ...adapters.flatMap((a) => a.secrets ?? []),
  ].filter((v): v is string => typeof v === 'string' && v.length > 0);
}
