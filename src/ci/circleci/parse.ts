/**
 * CircleCI webhook payloads (`workflow-completed`, `job-completed`) into one small event type.
 * Payloads are open maps; GitHub OAuth and Bitbucket Cloud projects carry the commit under
 * `pipeline.vcs`, GitLab, GitHub App and Bitbucket Data Center ones under
 * `pipeline.trigger_parameters` (`git`, plus `gitlab` or `github_app`).
 * https://circleci.com/docs/webhooks-reference/
 */
import { z } from 'zod';
import type { CommitInfo } from '../../core/pipeline-events.ts';

/** The two events deckhand acts on; CircleCI may add others (they are acknowledged and ignored). */
export const circleciEventTypes = ['workflow-completed', 'job-completed'] as const;
export type CircleciEventType = (typeof circleciEventTypes)[number];

/** A verified delivery, normalised. */
export interface CircleciEvent {
  /** The delivery id CircleCI asks receivers to deduplicate on. */
  id: string;
  type: CircleciEventType;
  at: Date;
  projectSlug: string;
  pipeline: { id: string; number: number };
  /** The branch, or the tag when `tag` is true. */
  ref?: string;
  tag: boolean;
  commit?: CommitInfo;
  workflow: { id: string; name: string; status?: string; url?: string };
  job?: { name: string; number?: number; status: string; durationMs?: number };
}

/** A payload deckhand cannot read; the route answers 400 with the message. */
export class CircleciPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CircleciPayloadError';
  }
}

const text = z.string().nullish();
const vcs = z.looseObject({
  branch: text,
  tag: text,
  revision: text,
  commit: z
    .looseObject({
      subject: text,
      author: z.looseObject({ name: text, email: text }).nullish(),
    })
    .nullish(),
});
/** `trigger_parameters.gitlab` / `.github_app`: flat strings. */
const flat = z.looseObject({
  branch: text,
  commit_title: text,
  commit_message: text,
  commit_author_name: text,
  commit_author_email: text,
  commit_sha: text,
  checkout_sha: text,
});
const payload = z.looseObject({
  id: z.string().min(1),
  type: z.enum(circleciEventTypes),
  happened_at: text,
  project: z.looseObject({ slug: z.string().min(1) }),
  pipeline: z.looseObject({
    id: z.string().min(1),
    number: z.number().int(),
    vcs: vcs.nullish(),
    trigger_parameters: z
      .looseObject({
        git: z.looseObject({ branch: text, tag: text, checkout_sha: text }).nullish(),
        gitlab: flat.nullish(),
        github_app: flat.nullish(),
      })
      .nullish(),
  }),
  workflow: z.looseObject({ id: z.string().min(1), name: z.string(), status: text, url: text }),
  job: z
    .looseObject({
      name: z.string().min(1),
      number: z.number().int().nullish(),
      status: z.string().min(1),
      started_at: text,
      stopped_at: text,
    })
    .nullish(),
});

/** The event type of a JSON body, or why the body is not a CircleCI event at all. */
export function eventType(body: unknown): string {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new CircleciPayloadError('The body is not a JSON object.');
  const { id, type } = body as { id?: unknown; type?: unknown };
  if (typeof id !== 'string' || !id) throw new CircleciPayloadError('The payload has no id.');
  if (typeof type !== 'string' || !type) throw new CircleciPayloadError('The payload has no type.');
  return type;
}

/** Reads a `workflow-completed` or `job-completed` payload; throws CircleciPayloadError. */
export function parseCircleciEvent(body: unknown, now: Date): CircleciEvent {
  const parsed = payload.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.map(String).join('.') || 'payload';
    throw new CircleciPayloadError(`The ${where} field is missing or malformed.`);
  }
  const p = parsed.data;
  if (p.type === 'job-completed' && !p.job) throw new CircleciPayloadError('The job field is missing.');
  const v = p.pipeline.vcs ?? undefined;
  const git = p.pipeline.trigger_parameters?.git ?? undefined;
  const app = p.pipeline.trigger_parameters?.gitlab ?? p.pipeline.trigger_parameters?.github_app ?? undefined;
  const tag = some(v?.tag, git?.tag);
  const branch = some(v?.branch, git?.branch, app?.branch);
  const sha = some(v?.revision, git?.checkout_sha, app?.checkout_sha, app?.commit_sha);
  const happened = p.happened_at ? new Date(p.happened_at) : now;
  const event: CircleciEvent = {
    id: p.id,
    type: p.type,
    at: Number.isNaN(happened.getTime()) ? now : happened,
    projectSlug: p.project.slug,
    pipeline: { id: p.pipeline.id, number: p.pipeline.number },
    ref: tag ?? branch,
    tag: tag !== undefined,
    workflow: {
      id: p.workflow.id,
      name: p.workflow.name,
      status: p.workflow.status ?? undefined,
      url: p.workflow.url ?? undefined,
    },
  };
  if (sha) {
    const message = some(v?.commit?.subject, app?.commit_title, app?.commit_message) ?? '';
    event.commit = {
      sha,
      message: message.split('\n')[0] ?? '',
      author: some(v?.commit?.author?.name, app?.commit_author_name),
      authorEmail: some(v?.commit?.author?.email, app?.commit_author_email),
    };
  }
  if (p.job) {
    const started = p.job.started_at ? Date.parse(p.job.started_at) : Number.NaN;
    const stopped = p.job.stopped_at ? Date.parse(p.job.stopped_at) : Number.NaN;
    event.job = {
      name: p.job.name,
      number: p.job.number ?? undefined,
      status: p.job.status,
      durationMs: Number.isFinite(stopped - started) ? Math.max(0, stopped - started) : undefined,
    };
  }
  return event;
}

/** The first non-empty string (GitLab sends `tag: ""` for a branch). */
function some(...values: (string | null | undefined)[]): string | undefined {
  return values.find((v): v is string => typeof v === 'string' && v.length > 0);
}
