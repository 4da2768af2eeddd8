/**
 * `POST /webhooks/jenkins`: Notification plugin events, through the shared intake path. The token
 * is checked before the body is parsed; each build phase is recorded once (deduplicated on job +
 * build number + phase) before Jenkins hears back, and the build read from the API afterwards.
 */
import { type ExternalRunSink, finalStatuses } from '../../core/pipeline-events.ts';
import type { DedupeStore } from '../../core/store.ts';
import { jsonBody, type WebhookSpec } from '../webhook-route.ts';
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

/** The intake source of Jenkins's notifications. */
export const jenkinsSource = 'jenkins';

/** What the route needs. */
export interface JenkinsRouteOptions {
  token: string | undefined;
  pipelines: JenkinsPipeline[];
  /** Largest accepted body (default 256 KiB: the plugin can send log lines). */
  bodyLimit?: number;
}

/**
 * The route, on the shared intake path. The Notification plugin retries a failed call as its
 * endpoint's `retries` setting says: a phase already taken is answered 200, not retried again.
 */
export function jenkinsWebhook(o: JenkinsRouteOptions): WebhookSpec {
  return {
    source: jenkinsSource,
    path: '/webhooks/jenkins',
    bodyLimit: o.bodyLimit ?? 256 * 1024,
    notJson: 'Send JSON: set the Notification endpoint format to JSON.',
    verify(_raw, header, query) {
      const given = typeof query.token === 'string' ? query.token : undefined;
      return verifyJenkinsToken({ expected: o.token, header: header('x-deckhand-token'), query: given });
    },
    parse(raw) {
      let notification: JenkinsNotification;
      try {
        notification = parseNotification(jsonBody(raw));
      } catch (error) {
        if (error instanceof NotificationError) return { kind: 'invalid', reason: error.message };
        throw error;
      }
      if (!matchJob(o.pipelines, notification.job))
        return { kind: 'ignore', reason: 'no deckhand pipeline runs this job' };
      const { job, number, phase } = notification;
      return {
        kind: 'record',
        key: `${job}#${number}`,
        data: notification,
        delivery: `${job}#${number}:${phase}`,
      };
    },
    answers: {
      recorded: { status: 202, body: { accepted: true } },
      duplicate: () => ({ status: 200, body: { ignored: 'this build phase was already delivered' } }),
      ignored: (reason) => ({ status: 200, body: { ignored: reason } }),
    },
  };
}

/** What {@link handleNotification} needs. */
export interface NotificationDeps extends ObserveDeps {
  poller: JenkinsPoller;
  dedupe: DedupeStore;
  /** Applies an update (from a recorded notification, or a poll's record). */
  onUpdate: ExternalRunSink;
  pipelines: JenkinsPipeline[];
  logger: { warn(o: object, m?: string): void };
}

/**
 * Applies one event. A start begins polling as a safety net; an end stops polling and reads the
 * build from the API (stages, commit author, why it failed), falling back to the payload alone.
 */
export async function handleNotification(deps: NotificationDeps, data: unknown): Promise<void> {
  const n = data as JenkinsNotification;
  const match = matchJob(deps.pipelines, n.job);
  if (!match) return; // its pipeline left the config since
  await handleMatched(deps, n, match);
}

async function handleMatched(
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
