/**
 * `POST /webhooks/gitlab`. GitLab sends the webhook's secret token in `X-Gitlab-Token`; it is
 * checked before anything else is read, and a mismatch gets a bare 401. GitLab permanently disables
 * a webhook that answers 4xx, so only a misconfigured hook (wrong token, a body that is not the
 * documented JSON) gets one; events deckhand does not read, projects it does not know and repeated
 * deliveries are acknowledged with 200 and ignored.
 * https://docs.gitlab.com/user/project/integrations/webhooks/#webhook-receiver-requirements
 */
import type { LoadedConfig } from '../../config/load.ts';
import type { ExternalRunSink, ExternalRunUpdate } from '../../core/pipeline-events.ts';
import type { Clock } from '../../core/ports.ts';
import type { WebhookSpec } from '../webhook-route.ts';
import { gitlabRepoOf } from './config.ts';
import { type GitlabEvent, GitlabPayloadError, handledEvent, parseGitlabEvent } from './parse.ts';
import type { GitlabProvider } from './provider.ts';
import {
  choosePipeline,
  createdWith,
  deploymentUpdate,
  jobUpdate,
  pipelinesFor,
  pipelineUpdate,
  ranJobs,
} from './routing.ts';
import { deliveryKey, verifyGitlabToken } from './verify.ts';

export interface GitlabWebhookOptions {
  config: LoadedConfig;
  webhookToken: string | undefined;
  provider: Pick<GitlabProvider, 'client' | 'createdBy' | 'rememberCreated' | 'settled' | 'rememberProject'>;
  /** Applies an update (the delivery's record stands for it). */
  apply: ExternalRunSink;
  clock: Clock;
  /** Largest accepted body (default 1 MiB: a Pipeline Hook lists every job). */
  bodyLimit?: number;
}

/** The update an event makes, or undefined when no deckhand pipeline runs in its project. */
export async function updateFor(
  o: GitlabWebhookOptions,
  event: GitlabEvent,
): Promise<ExternalRunUpdate | undefined> {
  const names = pipelinesFor(o.config, event.project);
  if (names.length === 0) return undefined;
  const coordinates = [
    ...new Set(
      names.map((n) => gitlabRepoOf(o.config.repositories[o.config.pipelines[n]?.repository ?? ''])),
    ),
  ].filter((c): c is string => c !== undefined);
  const coordinate = coordinates[0];
  if (!coordinate) return undefined;
  // A webhook may overtake the answer to the pipeline creation it reports on.
  await Promise.all(coordinates.map((c) => o.provider.settled(c)));
  const at = o.clock.now();
  let update: ExternalRunUpdate | undefined;
  if (event.type === 'deployment') {
    if (event.jobId === undefined) return undefined; // a deployment recorded through the API
    const job = await o.provider.client.job(coordinate, event.jobId);
    const known = job.pipeline ? o.provider.createdBy(job.pipeline.id) : undefined;
    const target = known ?? { pipeline: choosePipeline(o.config, names, new Set([job.name])) };
    update = deploymentUpdate(o.config, event, job, target, at);
  } else {
    let known = o.provider.createdBy(event.pipelineId);
    const recognised = event.type === 'pipeline' ? createdWith(o.config, names, event.variables) : undefined;
    if (!known && recognised) {
      known = { pipeline: recognised };
      o.provider.rememberCreated(event.pipelineId, known);
    }
    const target = known ?? { pipeline: choosePipeline(o.config, names, ranJobs(event)) };
    update =
      event.type === 'pipeline'
        ? pipelineUpdate(o.config, event, target, at)
        : jobUpdate(o.config, event, target, at);
  }
  if (update) o.provider.rememberProject(update.externalId, coordinate);
  return update;
}

/** The intake source of GitLab's deliveries. */
export const gitlabSource = 'gitlab';

/** The route, on the shared intake path. */
export function gitlabWebhook(
  o: Pick<GitlabWebhookOptions, 'config' | 'webhookToken' | 'bodyLimit'>,
): WebhookSpec {
  return {
    source: gitlabSource,
    path: '/webhooks/gitlab',
    bodyLimit: o.bodyLimit ?? 1024 * 1024,
    notJson: 'GitLab webhooks are JSON.',
    verify: (_raw, header) => verifyGitlabToken(o.webhookToken, header('x-gitlab-token')),
    parse(raw, header) {
      const name = header('x-gitlab-event');
      if (!name || !handledEvent(name)) return { kind: 'ignore', reason: `event ${name ?? '(none)'}` };
      let event: GitlabEvent;
      try {
        event = parseGitlabEvent(name, raw.toString('utf8'));
      } catch (error) {
        if (error instanceof GitlabPayloadError) return { kind: 'invalid', reason: error.message };
        throw error;
      }
      if (pipelinesFor(o.config, event.project).length === 0)
        return { kind: 'ignore', reason: 'no deckhand pipeline runs in this project' };
      // One project's events in arrival order: two about a pipeline started on GitLab must not
      // both record it as a new run.
      const key = event.project.path?.toLowerCase() ?? `#${event.project.id}`;
      const delivery = deliveryKey({
        'idempotency-key': header('idempotency-key'),
        'x-gitlab-event-uuid': header('x-gitlab-event-uuid'),
      });
      return { kind: 'record', key, data: event, delivery };
    },
    // GitLab disables a hook that answers 4xx: events of no interest and repeats get a 200.
    answers: {
      recorded: { status: 200 },
      duplicate: () => ({ status: 200 }),
      ignored: () => ({ status: 200 }),
    },
  };
}

/** Handles a recorded delivery: the update it makes, applied. */
export async function handleGitlabEvent(o: GitlabWebhookOptions, data: unknown): Promise<void> {
  const update = await updateFor(o, data as GitlabEvent);
  if (update) await o.apply(update);
}
