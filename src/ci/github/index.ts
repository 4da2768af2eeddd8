/** GitHub Actions as a CI provider: dispatch workflows, follow them through webhooks, record deployments. */
import type { CiSystem, CiSystemContext, CiSystemFactory } from '../../modules/ci-system.ts';
import { webhookRoute } from '../webhook-route.ts';
import { GithubActions } from './actions.ts';
import { GithubClient } from './client.ts';
import { GithubDeployments } from './deployments.ts';
import { defaultFindRun, type FindRunOptions } from './dispatch.ts';
import { GithubEvents, githubSource } from './events.ts';
import { GithubPipelines } from './pipelines.ts';
import { githubSecrets, githubSettings } from './settings.ts';
import { githubVerifier } from './verify.ts';
import { githubWebhook } from './webhook.ts';

/** Security alerts from GitHub payloads, for routing and for tools. */
export { securityAlert, securityAlertMessage } from './security.ts';
/** Signs a body as GitHub does (tests, tools that replay deliveries). */
export { signGithubPayload } from './verify.ts';
/** Where GitHub delivers webhooks. */
export { githubWebhookPath } from './webhook.ts';

/** Knobs for tests and unusual servers. */
export interface GithubAdapterOptions {
  /** How long to look for the run of a dispatch that GitHub answered without its id. */
  findRun?: FindRunOptions;
  /** Largest accepted webhook body in bytes (default 1 MiB). */
  webhookBodyLimit?: number;
  /** The fetch the REST client uses (the global one by default). */
  fetch?: typeof fetch;
}

/** A factory with non-default options. */
export function githubAdapterFactory(options: GithubAdapterOptions = {}): CiSystemFactory {
  return (context: CiSystemContext): CiSystem => {
    const settings = githubSettings(context.config, context.env);
    const pipelines = new GithubPipelines(context.config);
    const client = new GithubClient({
      settings,
      clock: context.clock,
      logger: context.logger,
      fetch: options.fetch,
    });
    const deployments = new GithubDeployments(client, context.logger);
    const provider = new GithubActions({
      client,
      pipelines,
      deployments,
      clock: context.clock,
      logger: context.logger,
      findRun: options.findRun ?? defaultFindRun,
    });
    const events = new GithubEvents({ pipelines, actions: provider, deployments, context });
    context.intake.handle(githubSource, (entry) => events.resume(entry));
    return {
      provider,
      routes: webhookRoute(
        githubWebhook({
          verify: githubVerifier(settings.webhookSecret),
          events,
          bodyLimit: options.webhookBodyLimit,
        }),
        context.intake,
        context.logger,
      ),
      async start() {
        if (!settings.webhookSecret) {
          context.logger.warn(
            { provider: 'github' },
            'GITHUB_WEBHOOK_SECRET is not set: GitHub webhooks will be refused',
          );
        }
        if (settings.auth.kind === 'none') {
          context.logger.warn(
            { provider: 'github' },
            'GitHub credentials are not set: set GITHUB_TOKEN or a GitHub App',
          );
        }
      },
      secrets: githubSecrets(settings),
    };
  };
}

/** The GitHub Actions adapter with default options. */
export const createGithubAdapter: CiSystemFactory = githubAdapterFactory();
