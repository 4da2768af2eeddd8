/** The Jenkins CI adapter: builds through the remote access API, followed by polling or the Notification plugin. */
import type { CiSystem, CiSystemContext, CiSystemFactory } from '../../modules/ci-system.ts';
import { probe } from '../../modules/connection.ts';
import { webhookRoute } from '../webhook-route.ts';
import { JenkinsClient } from './client.ts';
import { JenkinsHttp } from './http.ts';
import { TailCache } from './log-tail.ts';
import { jenkinsPipelines } from './pipelines.ts';
import { JenkinsPoller } from './poller.ts';
import { createJenkinsProvider } from './provider.ts';
import { jenkinsSettings } from './settings.ts';
import { handleNotification, jenkinsSource, jenkinsWebhook } from './webhook.ts';

/** Knobs tests (and unusual setups) can turn; the defaults suit a real Jenkins. */
export interface JenkinsAdapterOptions {
  fetch?: typeof fetch;
  /** Per-request deadline (default 15 s). */
  timeoutMs?: number;
  /** How long a trigger waits for its queue item to become a build (default 10 s). */
  queueWaitMs?: number;
}

/** A Jenkins adapter factory with options. */
export function jenkinsAdapter(options: JenkinsAdapterOptions = {}): CiSystemFactory {
  return (context: CiSystemContext): CiSystem => {
    const { config, env, logger, clock } = context;
    const settings = jenkinsSettings(config, env);
    const client = new JenkinsClient(
      new JenkinsHttp({ settings, fetch: options.fetch, timeoutMs: options.timeoutMs }),
    );
    const tails = new TailCache();
    const noStages = new Set<string>();
    const buildUrls = new Map<string, string>();
    const now = () => clock.now();
    const poller = new JenkinsPoller({
      client,
      tails,
      noStages,
      buildUrls,
      now,
      intervalMs: settings.pollIntervalMs,
      onUpdate: context.onUpdate,
      logger,
    });
    const provider = createJenkinsProvider({
      config,
      client,
      poller,
      tails,
      buildUrls,
      logger,
      queueWaitMs: options.queueWaitMs ?? 10_000,
      queuePollMs: Math.min(settings.pollIntervalMs, 1000),
    });
    const pipelines = jenkinsPipelines(config);
    const deps = {
      client,
      tails,
      noStages,
      buildUrls,
      now,
      poller,
      dedupe: context.dedupe,
      onUpdate: context.apply,
      pipelines,
      logger,
    };
    context.intake.handle(jenkinsSource, (data) => handleNotification(deps, data));
    return {
      provider,
      routes: webhookRoute(
        jenkinsWebhook({ token: settings.webhookToken, pipelines }),
        context.intake,
        logger,
      ),
      async start() {
        poller.start();
      },
      stop: () => poller.stop(),
      // The remote access API's root (https://www.jenkins.io/doc/book/using/remote-access-api/): 401 for a bad token.
      connection: {
        open: () =>
          probe({
            what: 'Jenkins',
            url: `${settings.url}/api/json?tree=mode`,
            headers: {
              authorization: `Basic ${Buffer.from(`${settings.user}:${settings.token}`).toString('base64')}`,
            },
            fetch: options.fetch,
          }),
      },
      secrets: [settings.token, settings.webhookToken].filter((s): s is string => Boolean(s)),
    };
  };
}

/** The Jenkins adapter with default options. */
export const createJenkinsAdapter: CiSystemFactory = jenkinsAdapter();
