/**
 * `POST /webhooks/jenkins`: Notification plugin events. The token is checked before the body is
 * parsed; each build phase is handled once (deduplicated on job + build number + phase); the
 * request is answered at once and the build read from the API afterwards.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { type ExternalRunSink, finalStatuses } from '../../core/pipeline-events.ts';
import type { Clock } from '../../core/ports.ts';
import type { DedupeStore } from '../../core/store.ts';
import {
  type JenkinsNotification,
  NotificationError,
  notificationStatus,
  notificationUpdate,
  parseNotification,
} from './notification.ts';
import { type ObserveDeps, observeBuild } from './observe.ts';
import { type JenkinsPipeline, matchJob, type PipelineMatch } from './pipelines.ts';
import type { JenkinsPoller } from './poller.ts';
import { verifyJenkinsToken } from './verify.ts';

type Logger = { warn(o: object, m?: string): void; error(o: object, m?: string): void };

/** What the route needs. */
export interface JenkinsRouteOptions {
  token: string | undefined;
  pipelines: JenkinsPipeline[];
  dedupe: DedupeStore;
  clock: Clock;
  logger: Logger;
  /** Applies a verified, new event (after the answer was sent). */
  handle(notification: JenkinsNotification, match: PipelineMatch): Promise<void>;
  /** Largest accepted body (default 256 KiB: the plugin can send log lines). */
  bodyLimit?: number;
}

const JSON_TYPE = 'application/json';

/** The fastify plugin serving `POST /webhooks/jenkins`. */
export function jenkinsRoutes(o: JenkinsRouteOptions): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    // Keep the body as text: nothing is parsed before the token checks out.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser([JSON_TYPE], { parseAs: 'string' }, (_request, body, done) => done(null, body));

    const verified = (request: FastifyRequest): boolean => {
      const header = request.headers['x-deckhand-token'];
      const query = (request.query as Record<string, unknown> | undefined)?.token;
      const result = verifyJenkinsToken({
        expected: o.token,
        header: typeof header === 'string' ? header : undefined,
        query: typeof query === 'string' ? query : undefined,
      });
      if (!result.ok)
        o.logger.warn({ path: request.routeOptions.url, reason: result.reason }, 'Jenkins webhook refused');
      return result.ok;
    };

    app.post('/webhooks/jenkins', { bodyLimit: o.bodyLimit ?? 256 * 1024 }, async (request, reply) => {
      if (!(request.headers['content-type'] ?? '').startsWith(JSON_TYPE))
        return reply.code(415).send({ error: 'Send JSON: set the Notification endpoint format to JSON.' });
      if (!verified(request)) return reply.code(401).send();
      let notification: JenkinsNotification;
      try {
        notification = parseNotification(JSON.parse(request.body as string));
      } catch (error) {
        const message = error instanceof NotificationError ? error.message : 'The body is not valid JSON.';
        return reply.code(400).send({ error: message });
      }
      const match = matchJob(o.pipelines, notification.job);
      if (!match) return reply.code(200).send({ ignored: 'no deckhand pipeline runs this job' });
      const { job, number, phase } = notification;
      if (!(await o.dedupe.claim('jenkins-notification', `${job}#${number}:${phase}`, o.clock.now())))
        return reply.code(409).send({ error: 'This build phase was already delivered.' });
      setImmediate(() =>
        o
          .handle(notification, match)
          .catch((err: unknown) => o.logger.error({ err, job, number }, 'Jenkins event failed')),
      );
      return reply.code(202).send({ accepted: true });
    });
  };
}

/** What {@link handleNotification} needs. */
export interface NotificationDeps extends ObserveDeps {
  poller: JenkinsPoller;
  dedupe: DedupeStore;
  onUpdate: ExternalRunSink;
  logger: { warn(o: object, m?: string): void };
}

/**
 * Applies one event. A start begins polling as a safety net; an end stops polling and reads the
 * build from the API (stages, commit author, why it failed), falling back to the payload alone.
 */
export async function handleNotification(
  deps: NotificationDeps,
  n: JenkinsNotification,
  match: PipelineMatch,
): Promise<void> {
  const watch = deps.poller.byBuild(n.job, n.number);
  const ref = watch?.ref;
  const fromPayload = () => notificationUpdate(n, match, deps.now(), ref);
  if (!finalStatuses.has(notificationStatus(n))) {
    if (!watch) deps.poller.watchBuild({ job: n.job, number: n.number, match, url: n.fullUrl });
    await deps.onUpdate(fromPayload());
    return;
  }
  deps.poller.finished(n.job, n.number);
  // COMPLETED and FINALIZED both carry the result: the first one finishes the run.
  if (!(await deps.dedupe.claim('jenkins-final', `${n.job}#${n.number}`, deps.now()))) return;
  let update = fromPayload();
  try {
    const read = await observeBuild(deps, {
      job: n.job,
      number: n.number,
      match,
      ref,
      testFailures: n.tests?.failedTests,
    });
    if (finalStatuses.has(read.status)) update = read;
  } catch (error) {
    deps.logger.warn(
      { job: n.job, number: n.number, err: (error as Error).message },
      'could not read the build; using the event alone',
    );
  }
  await deps.onUpdate(update);
}
