/** GitLab connection settings: `providers.gitlab` in deckhand.yaml, each falling back to its env var. */
import type { LoadedConfig } from '../../config/load.ts';
import { checkCredential, isHttpUrl } from '../../modules/credentials.ts';
import { gitlabConnection } from './config.ts';

/** Where GitLab lives and the secrets deckhand holds for it. */
export interface GitlabSettings {
  /** Instance URL without `/api/v4`, e.g. `https://gitlab.example.com`; no default. */
  url?: string;
  /** Personal, project or group access token with the `api` scope (`PRIVATE-TOKEN`). */
  token?: string;
  /** The webhook's secret token, compared with `X-Gitlab-Token`. */
  webhookToken?: string;
}

/** Reads `providers.gitlab`, then `GITLAB_URL`, `GITLAB_TOKEN`, `GITLAB_WEBHOOK_TOKEN`. */
export function gitlabSettings(
  config: LoadedConfig,
  env: Record<string, string | undefined>,
): GitlabSettings {
  const own = gitlabConnection(config) ?? {};
  const raw = own.url ?? (env.GITLAB_URL || undefined);
  return {
    // gitbeaker appends `/api/v4/` itself; people often paste the API URL or a trailing slash.
    url: raw?.replace(/\/+$/, '').replace(/\/api\/v4$/, ''),
    token: own.token ?? (env.GITLAB_TOKEN || undefined),
    webhookToken: own.webhookToken ?? (env.GITLAB_WEBHOOK_TOKEN || undefined),
  };
}

/** The URL as it may appear in a message: no user info, no query. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/$/, '')}`;
  } catch {
    return 'the configured URL';
  }
}

/** What is missing or malformed: the instance, a token, and the webhook's token (runs are followed through it). */
export function gitlabCredentials(config: LoadedConfig, env: Record<string, string | undefined>): string[] {
  const own = gitlabConnection(config) ?? {};
  const problems: string[] = [];
  checkCredential(problems, {
    variable: 'GITLAB_URL',
    key: 'providers.gitlab.url',
    fromKey: own.url !== undefined,
    value: own.url ?? env.GITLAB_URL,
    expected: 'the GitLab instance as an http(s) URL, e.g. https://gitlab.example.com',
    valid: isHttpUrl,
  });
  checkCredential(problems, {
    variable: 'GITLAB_TOKEN',
    key: 'providers.gitlab.token',
    value: own.token ?? env.GITLAB_TOKEN,
    expected: 'an access token with the api scope',
  });
  checkCredential(problems, {
    variable: 'GITLAB_WEBHOOK_TOKEN',
    key: 'providers.gitlab.webhookToken',
    value: own.webhookToken ?? env.GITLAB_WEBHOOK_TOKEN,
    expected:
      'the secret token of the webhook that reports pipelines to deckhand (e.g. openssl rand -hex 32)',
  });
  return problems;
}
