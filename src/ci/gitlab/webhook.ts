/**
 * `POST /webhooks/gitlab`. GitLab sends the webhook's secret token in `X-Gitlab-Token`; it is
 * checked before anything else is read, and a mismatch gets a bare 401. GitLab permanently disables
 * a webhook that answers 4xx, so only a misconfigured hook (wrong token, a body that is not the
 * documented JSON) gets one; events deckhand does not read, projects it does not know and repeated
 * deliveries are acknowledged with 200 and ignored.
 * https://docs.gitlab.com/user/project/integrations/webhooks/#webhook-receiver-requirements
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { LoadedConfig } from '../../config/load.ts';
import type { ExternalRunSink, ExternalRunUpdate } from '../../core/pipeline-events.ts';
import type { Clock } from '../../core/ports.ts';
import type { DedupeStore } from '../../core/store.ts';
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
  dedupe: DedupeStore;
  onUpdate: ExternalRunSink;
  logger: {
    info(o: object, m?: string): void;
    warn(o: object, m?: string): void;
    error(o: object, m?: string): void;
  };
  clock: Clock;
  /** Largest accepted body (default 1 MiB: a Pipeline Hook lists every job). */
  bodyLimit?: number;
}

/** The dedupe source for GitLab deliveries. */
export const GITLAB_DELIVERY = 'gitlab-delivery';

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

/** The route, as a fastify plugin keeping the raw body. */
export function gitlabWebhook(o: GitlabWebhookOptions): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    // Other content types are refused by fastify with 415, bodies over the limit with 413.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) =>
      done(null, body),
    );
    const queues = new Map<string, Promise<void>>();
    const header = (request: FastifyRequest, name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };

    app.post('/webhooks/gitlab', { bodyLimit: o.bodyLimit ?? 1024 * 1024 }, async (request, reply) => {
      const verdict = verifyGitlabToken(o.webhookToken, header(request, 'x-gitlab-token'));
      if (!verdict.ok) {
        o.logger.warn({ reason: verdict.reason }, 'GitLab webhook refused');
        return reply.code(401).send();
      }
      const name = header(request, 'x-gitlab-event');
      if (!name || !handledEvent(name)) return reply.code(200).send();
      let event: GitlabEvent;
      try {
        event = parseGitlabEvent(name, typeof request.body === 'string' ? request.body : '');
      } catch (error) {
        if (error instanceof GitlabPayloadError) return reply.code(400).send({ error: error.message });
        throw error;
      }
      const delivery = deliveryKey(request.headers);
      if (delivery && !(await o.dedupe.claim(GITLAB_DELIVERY, delivery, o.clock.now()))) {
        return reply.code(200).send(); // a retry of a delivery already taken
      }
      // One at a time per project, in arrival order: two events about a pipeline started on
      // GitLab must not both record it as a new run.
      const key = event.project.path?.toLowerCase() ?? `#${event.project.id}`;
      const next = (queues.get(key) ?? Promise.resolve())
        .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
        .then(() => updateFor(o, event))
        .then((update) => (update ? o.onUpdate(update) : undefined))
        .catch((err: unknown) => o.logger.error({ err, event: name }, 'GitLab webhook failed'))
        .finally(() => {
          if (queues.get(key) === next) queues.delete(key);
        });
      queues.set(key, next);
      return reply.code(200).send();
    });
  };
}
