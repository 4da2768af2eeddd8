/**
 * The CircleCI adapter: a provider that drives CircleCI's API, a verified webhook for
 * `workflow-completed` and `job-completed`, and a poller for what webhooks do not report.
 */

import { finalStatuses } from '../../core/pipeline-events.ts';
import type { CiSystem, CiSystemContext } from '../../modules/ci-system.ts';
import { probe } from '../../modules/connection.ts';
import { webhookRoute } from '../webhook-route.ts';
import { CircleciClient } from './client.ts';
import { matchPipeline, pipelineInfo } from './match.ts';
import type { CircleciEvent } from './parse.ts';
import { Poller } from './poller.ts';
import { CircleciProvider } from './provider.ts';
import { eventOnlyUpdate, type PipelineRef, RunReader } from './run-reader.ts';
import { circleciSettings } from './settings.ts';
import { circleciSource, circleciWebhook, reviveEvent } from './webhook.ts';

/** Tuning, mostly for tests; every field has a default. */
export interface CircleciAdapterOptions {
  /** Between two polls of the pipelines deckhand triggered (default 15 s; 0 turns polling off). */
  pollIntervalMs?: number;
  /** How long a triggered pipeline is polled at most (default 6 h). */
  maxPollAgeMs?: number;
  /** Per API request (default 10 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The adapter, with chat approvals of CircleCI approval jobs. */
export interface CircleciAdapter extends CiSystem {
  provider: CircleciProvider;
  /** Approves the approval job `jobName` of the run whose CircleCI pipeline id is `runExternalId`. */
  approve(runExternalId: string, jobName: string): Promise<boolean>;
}

/** Builds the CircleCI adapter (a `CiSystemFactory`; `options` tune it). */
export function createCircleciAdapter(
  context: CiSystemContext,
  options: CircleciAdapterOptions = {},
): CircleciAdapter {
  const { config, logger, clock } = context;
  const settings = circleciSettings(config, context.env);
  const client = new CircleciClient({
    apiUrl: settings.apiUrl,
    token: settings.token,
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
  });
  const reader = new RunReader({ client, clock });
  const poller = new Poller({
    intervalMs: options.pollIntervalMs ?? 15_000,
    maxAgeMs: options.maxPollAgeMs ?? 6 * 3600_000,
    read: (ref) => reader.fromApi(ref),
    onUpdate: context.onUpdate,
    logger,
    clock,
  });
  const provider = new CircleciProvider({ config, client, reader, poller });

  const refOf = (event: CircleciEvent): PipelineRef | undefined => {
    const pipeline = matchPipeline(config, event.projectSlug, {
      triggeredFor: provider.triggeredFor(event.pipeline.id),
      workflowName: event.workflow.name,
    });
    const slug = pipeline ? pipelineInfo(config, pipeline)?.slug : undefined;
    return pipeline && slug ? { id: event.pipeline.id, slug, pipeline } : undefined;
  };

  // A recorded delivery (one pipeline's in arrival order): the run read from the API, applied.
  context.intake.handle(circleciSource, async (data) => {
    const event = reviveEvent(data);
    const ref = refOf(event);
    if (!ref) return;
    const update = await reader.fromEvent(ref, event).catch((err: unknown) => {
      logger.warn(
        { pipeline: ref.id, err: (err as Error).message },
        'CircleCI API unreadable; using the webhook alone',
      );
      return eventOnlyUpdate(ref, event, client.apiUrl);
    });
    if (finalStatuses.has(update.status)) poller.untrack(ref.id);
    await context.apply(update);
  });

  if (!settings.webhookSecret)
    logger.warn({}, 'CIRCLECI_WEBHOOK_SECRET is not set: POST /webhooks/circleci refuses every delivery');

  return {
    provider,
    approve: (runExternalId, jobName) => provider.approve(runExternalId, jobName),
    routes: webhookRoute(
      circleciWebhook({
        secret: settings.webhookSecret,
        clock,
        ignore: (event) =>
          refOf(event) ? undefined : `project ${event.projectSlug} runs no deckhand pipeline`,
      }),
      context.intake,
      logger,
    ),
    start: async () => poller.start(),
    stop: () => poller.stop(),
    // https://circleci.com/docs/api/v2/index.html#operation/getCurrentUser: 401 for a bad token.
    connection: {
      open: () =>
        probe({
          what: 'CircleCI',
          url: `${settings.apiUrl}/me`,
          headers: { 'circle-token': settings.token ?? '' },
          fetch: options.fetch,
        }),
    },
    secrets: [settings.token, settings.webhookSecret].filter((s): s is string => Boolean(s)),
  };
}
