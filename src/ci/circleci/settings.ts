/** CircleCI connection settings: `providers.circleci` in deckhand.yaml, else the conventional env vars. */
import type { LoadedConfig } from '../../config/load.ts';
import { checkCredential, isHttpUrl } from '../../modules/credentials.ts';
import { circleciConnection } from './config.ts';

/** The cloud API; CircleCI server installs set their own through `apiUrl` / `CIRCLECI_API_URL`. */
export const defaultApiUrl = 'https://circleci.com/api/v2';

export interface CircleciSettings {
  /** API v2 base URL, without a trailing slash. */
  apiUrl: string;
  /** Personal API token, sent as `Circle-Token`. */
  token?: string;
  /** The webhook's secret token, for `circleci-signature`. */
  webhookSecret?: string;
}

/** Reads the settings; secrets fall back to CIRCLECI_TOKEN and CIRCLECI_WEBHOOK_SECRET. */
export function circleciSettings(
  config: Pick<LoadedConfig, 'providers'>,
  env: Record<string, string | undefined>,
): CircleciSettings {
  const own = circleciConnection(config);
  const apiUrl = own?.apiUrl || env.CIRCLECI_API_URL || defaultApiUrl;
  return {
    apiUrl: apiUrl.replace(/\/+$/, ''),
    token: own?.token || env.CIRCLECI_TOKEN || undefined,
    webhookSecret: own?.webhookSecret || env.CIRCLECI_WEBHOOK_SECRET || undefined,
  };
}

/** The API v1.1 base next to a v2 base (`…/api/v2` → `…/api/v1.1`); none for other shapes. */
export function v1Url(apiUrl: string): string | undefined {
  return /\/api\/v2$/.test(apiUrl) ? apiUrl.replace(/\/api\/v2$/, '/api/v1.1') : undefined;
}

/** What is missing or malformed: a personal API token; the webhook's secret is optional (deckhand polls its own runs). */
export function circleciCredentials(
  config: Pick<LoadedConfig, 'providers'>,
  env: Record<string, string | undefined>,
): string[] {
  const own = circleciConnection(config);
  const problems: string[] = [];
  checkCredential(problems, {
    variable: 'CIRCLECI_TOKEN',
    key: 'providers.circleci.token',
    value: own?.token || env.CIRCLECI_TOKEN,
    expected: 'a personal API token (User Settings → Personal API Tokens)',
  });
  checkCredential(problems, {
    variable: 'CIRCLECI_API_URL',
    key: 'providers.circleci.apiUrl',
    fromKey: Boolean(own?.apiUrl),
    value: own?.apiUrl || env.CIRCLECI_API_URL,
    expected: 'an http(s) URL ending /api/v2',
    valid: isHttpUrl,
    optional: true,
  });
  return problems;
}
