/** GitLab connection settings: `providers.gitlab` in deckhand.yaml, each falling back to its env var. */
import type { LoadedConfig } from '../../config/load.ts';
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
