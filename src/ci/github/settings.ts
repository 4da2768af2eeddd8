/** GitHub connection settings: `providers.github` values, else the conventional environment variables. */
import type { LoadedConfig } from '../../config/load.ts';
import { checkCredential, isHttpUrl } from '../../modules/credentials.ts';
import { githubConnection } from './config.ts';

/** How deckhand authenticates to the REST API. */
export type GithubAuth =
  | { kind: 'token'; token: string; names: string }
  | { kind: 'app'; appId: string; privateKey: string; installationId?: string; names: string }
  | { kind: 'none'; names: string };

/** Resolved connection settings. */
export interface GithubSettings {
  /** REST base URL, without a trailing slash (GitHub Enterprise Server: `https://host/api/v3`). */
  apiUrl: string;
  auth: GithubAuth;
  /** Secret of the webhook (`X-Hub-Signature-256`); without it every delivery is refused. */
  webhookSecret?: string;
  /** Where `apiUrl` came from, for "check …" advice. */
  apiUrlName: string;
}

/** GitHub.com's REST API. */
export const defaultApiUrl = 'https://api.github.com';

type Env = Record<string, string | undefined>;

/** Resolves the settings; a token wins over App credentials when both are set. */
export function githubSettings(config: LoadedConfig, env: Env): GithubSettings {
  const p = githubConnection(config) ?? {};
  const token = p.token ?? env.GITHUB_TOKEN;
  const appId = p.appId ?? env.GITHUB_APP_ID;
  const privateKey = p.privateKey ?? env.GITHUB_APP_PRIVATE_KEY;
  const installationId = p.installationId ?? env.GITHUB_APP_INSTALLATION_ID;
  const apiUrl = (p.apiUrl ?? env.GITHUB_API_URL ?? defaultApiUrl).replace(/\/+$/, '');
  let auth: GithubAuth;
  if (token) auth = { kind: 'token', token, names: p.token ? 'providers.github.token' : 'GITHUB_TOKEN' };
  else if (appId && privateKey) {
    const names = p.appId
      ? 'providers.github.appId and privateKey'
      : 'GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY';
    auth = { kind: 'app', appId, privateKey, installationId, names };
  } else auth = { kind: 'none', names: 'GITHUB_TOKEN (or GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY)' };
  return {
    apiUrl,
    auth,
    webhookSecret: p.webhookSecret ?? env.GITHUB_WEBHOOK_SECRET,
    apiUrlName: p.apiUrl ? 'providers.github.apiUrl' : 'GITHUB_API_URL',
  };
}

/** Secret values the redactor should mask. */
export function githubSecrets(s: GithubSettings): string[] {
  const values = [s.webhookSecret];
  if (s.auth.kind === 'token') values.push(s.auth.token);
  if (s.auth.kind === 'app') values.push(s.auth.privateKey);
  return values.filter((v): v is string => Boolean(v));
}

/**
 * What is missing or malformed: a token or a GitHub App (its numeric id and PEM private key,
 * https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/managing-private-keys-for-github-apps),
 * and the webhook's secret, since runs are followed through the webhook.
 */
export function githubCredentials(config: LoadedConfig, env: Env): string[] {
  const p = githubConnection(config) ?? {};
  const problems: string[] = [];
  const token = p.token ?? env.GITHUB_TOKEN;
  const appId = p.appId ?? env.GITHUB_APP_ID;
  const privateKey = p.privateKey ?? env.GITHUB_APP_PRIVATE_KEY;
  if (!token?.trim()) {
    if (!appId?.trim() && !privateKey?.trim())
      problems.push(
        'GITHUB_TOKEN is not set: a token that may run workflows (or providers.github.token), or a GitHub App: GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY',
      );
    else {
      checkCredential(problems, {
        variable: 'GITHUB_APP_ID',
        key: 'providers.github.appId',
        fromKey: p.appId !== undefined,
        value: appId,
        expected: "the GitHub App's numeric id (App settings → About)",
        valid: (v) => /^\d+$/.test(v),
      });
      checkCredential(problems, {
        variable: 'GITHUB_APP_PRIVATE_KEY',
        key: 'providers.github.privateKey',
        fromKey: p.privateKey !== undefined,
        value: privateKey,
        expected: 'a PEM private key (-----BEGIN RSA PRIVATE KEY----- …) generated for the App',
        valid: (v) => /-----BEGIN (RSA )?PRIVATE KEY-----/.test(v),
      });
    }
  }
  checkCredential(problems, {
    variable: 'GITHUB_WEBHOOK_SECRET',
    key: 'providers.github.webhookSecret',
    value: p.webhookSecret ?? env.GITHUB_WEBHOOK_SECRET,
    expected: 'the secret of the webhook that reports runs to deckhand (e.g. openssl rand -hex 32)',
  });
  checkCredential(problems, {
    variable: 'GITHUB_API_URL',
    key: 'providers.github.apiUrl',
    fromKey: p.apiUrl !== undefined,
    value: p.apiUrl ?? env.GITHUB_API_URL,
    expected: 'an http(s) URL, e.g. https://github.example.com/api/v3',
    valid: isHttpUrl,
    optional: true,
  });
  return problems;
}
