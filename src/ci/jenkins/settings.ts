/** Jenkins connection settings: `providers.jenkins` values, else the conventional environment variables. */
import type { LoadedConfig } from '../../config/load.ts';
import { parseDuration } from '../../core/format.ts';
import { checkCredential, isHttpUrl } from '../../modules/credentials.ts';
import { jenkinsConnection } from './config.ts';

/** What the Jenkins adapter connects with; every field may be missing until a call needs it. */
export interface JenkinsSettings {
  /** Base URL without a trailing slash, e.g. `https://ci.example.com` or `https://ci.example.com/jenkins`. */
  url?: string;
  user?: string;
  /** API token (not a password: API tokens need no CSRF crumb). */
  token?: string;
  /** Shared secret the Notification plugin sends as `?token=` or `X-Deckhand-Token`. */
  webhookToken?: string;
  /** How often running builds are polled, in milliseconds. */
  pollIntervalMs: number;
}

type Env = Record<string, string | undefined>;

/** Default poll interval: 10 s. */
export const defaultPollIntervalMs = 10_000;

/** `pollInterval` as written: a number of milliseconds, or a duration such as `10s`. */
export function pollIntervalMs(value: string | number | undefined): number {
  if (value === undefined) return defaultPollIntervalMs;
  const ms = typeof value === 'number' ? value : parseDuration(value);
  return ms !== undefined && Number.isFinite(ms) && ms > 0 ? ms : defaultPollIntervalMs;
}

/** Resolves settings from config first, then JENKINS_URL, JENKINS_USER, JENKINS_TOKEN, JENKINS_WEBHOOK_TOKEN. */
export function jenkinsSettings(config: LoadedConfig, env: Env): JenkinsSettings {
  const c = jenkinsConnection(config) ?? {};
  const { url, user, token } = splitCredentials(c.url ?? env.JENKINS_URL);
  return {
    url,
    user: c.user ?? (env.JENKINS_USER || undefined) ?? user,
    token: c.token ?? (env.JENKINS_TOKEN || undefined) ?? token,
    webhookToken: c.webhookToken ?? env.JENKINS_WEBHOOK_TOKEN,
    pollIntervalMs: pollIntervalMs(c.pollInterval),
  };
}

/** `fetch` refuses URLs with credentials: `https://user:token@host` becomes the URL plus a fallback user and token. */
function splitCredentials(raw: string | undefined): { url?: string; user?: string; token?: string } {
  if (!raw) return {};
  try {
    const u = new URL(raw);
    const user = u.username ? decodeURIComponent(u.username) : undefined;
    const token = u.password ? decodeURIComponent(u.password) : undefined;
    u.username = '';
    u.password = '';
    return { url: u.toString().replace(/\/+$/, ''), user, token };
  } catch {
    return { url: raw.replace(/\/+$/, '') };
  }
}

/** A URL fit for messages: no user info, no query. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`.replace(/\/+$/, '');
  } catch {
    return '(an invalid JENKINS_URL)';
  }
}

/**
 * What is missing or malformed: the server and an API token's user; the Notification plugin's
 * token is optional (polling follows the builds without it) and only checked when set.
 */
export function jenkinsCredentials(config: LoadedConfig, env: Env): string[] {
  const c = jenkinsConnection(config) ?? {};
  const s = jenkinsSettings(config, env);
  const problems: string[] = [];
  checkCredential(problems, {
    variable: 'JENKINS_URL',
    key: 'providers.jenkins.url',
    fromKey: c.url !== undefined,
    value: s.url,
    expected: 'the Jenkins server as an http(s) URL, e.g. https://ci.example.com',
    valid: isHttpUrl,
  });
  checkCredential(problems, {
    variable: 'JENKINS_USER',
    key: 'providers.jenkins.user',
    value: s.user,
    expected: 'the user whose API token deckhand uses',
  });
  checkCredential(problems, {
    variable: 'JENKINS_TOKEN',
    key: 'providers.jenkins.token',
    value: s.token,
    expected: "an API token of JENKINS_USER (not a password; the user's Security page)",
  });
  return problems;
}
