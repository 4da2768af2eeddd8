/** The GitLab CI adapter: a provider for the core and `POST /webhooks/gitlab`. */
import type { CiSystem, CiSystemContext, CiSystemFactory } from '../../modules/ci-system.ts';
import { probe } from '../../modules/connection.ts';
import { webhookRoute } from '../webhook-route.ts';
import { GitlabClient } from './client.ts';
import { GitlabProvider } from './provider.ts';
import { gitlabSettings } from './settings.ts';
import { gitlabSource, gitlabWebhook, handleGitlabEvent } from './webhook.ts';

/** Tuning knobs, mostly for tests. */
export interface GitlabAdapterOptions {
  /** Per-request timeout to GitLab (default 20 s). */
  timeoutMs?: number;
  /** Polling for a deploy's manual job (defaults 1 s, doubling up to 10 s). */
  play?: { intervalMs?: number; maxIntervalMs?: number };
  /** Largest webhook body accepted (default 1 MiB). */
  bodyLimit?: number;
}

/** A factory with options; `createGitlabAdapter` is this with the defaults. */
export function gitlabAdapterFactory(options: GitlabAdapterOptions = {}): CiSystemFactory {
  return (context: CiSystemContext): CiSystem => {
    const settings = gitlabSettings(context.config, context.env);
    const client = new GitlabClient({
      url: settings.url,
      token: settings.token,
      timeoutMs: options.timeoutMs,
    });
    const provider = new GitlabProvider({
      config: context.config,
      client,
      onUpdate: context.onUpdate,
      logger: context.logger,
      clock: context.clock,
      play: options.play,
    });
    const webhook = {
      config: context.config,
      webhookToken: settings.webhookToken,
      provider,
      apply: context.apply,
      clock: context.clock,
      bodyLimit: options.bodyLimit,
    };
    context.intake.handle(gitlabSource, (data) => handleGitlabEvent(webhook, data));
    return {
      provider,
      routes: webhookRoute(gitlabWebhook(webhook), context.intake, context.logger),
      stop: () => provider.close(),
      // https://docs.gitlab.com/api/version/: needs a valid token (401 otherwise).
      connection: {
        open: () =>
          probe({
            what: 'GitLab',
            url: `${settings.url}/api/v4/version`,
            headers: settings.token ? { 'private-token': settings.token } : {},
          }),
      },
      secrets: [settings.token, settings.webhookToken].filter((s): s is string => Boolean(s)),
    };
  };
}

/** Drives GitLab CI pipelines and follows them through GitLab's webhooks. */
export const createGitlabAdapter: CiSystemFactory = gitlabAdapterFactory();
