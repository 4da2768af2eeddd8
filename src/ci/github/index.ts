/** GitHub Actions as a CI provider: dispatch workflows, follow them through webhooks, record deployments. */
import type { CiSystem, CiSystemContext, CiSystemFactory } from '../../modules/ci-system.ts';
import { type Connection, probe } from '../../modules/connection.ts';
import { webhookRoute } from '../webhook-route.ts';
import { GithubActions } from './actions.ts';
import { GithubClient } from './client.ts';
import { GithubDeployments } from './deployments.ts';
import { defaultFindRun, type FindRunOptions } from './dispatch.ts';
import { GithubEvents, githubSource } from './events.ts';
import { GithubPipelines } from './pipelines.ts';
import { type GithubSettings, githubSecrets, githubSettings } from './settings.ts';
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
      connection: githubConnection(settings, options.fetch),
      secrets: githubSecrets(settings),
    };
  };
}

/**
 * GitHub answers and takes the credentials: a token on `GET /rate_limit` (free of the rate limit,
 * https://docs.github.com/en/rest/rate-limit/rate-limit), an App's JWT on `GET /app`
 * (https://docs.github.com/en/rest/apps/apps#get-the-authenticated-app).
 */
function githubConnection(settings: GithubSettings, fetchImpl?: typeof fetch): Connection {
  const { auth, apiUrl } = settings;
  return {
    async open() {
      let path = '/rate_limit';
      let bearer = auth.kind === 'token' ? auth.token : undefined;
      if (auth.kind === 'app') {
        const { createAppAuth } = await import('@octokit/auth-app');
        path = '/app';
        bearer = (await createAppAuth({ appId: auth.appId, privateKey: auth.privateKey })({ type: 'app' }))
          .token;
      }
      await probe({
        what: 'GitHub',
        url: `${apiUrl}${path}`,
        headers: {
          accept: 'application/vnd.github+json',
          'user-agent': 'deckhand',
          ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        },
        fetch: fetchImpl,
      });
    },
  };
}

/** The GitHub Actions adapter with default options. */
export const createGithubAdapter: CiSystemFactory = githubAdapterFactory();
