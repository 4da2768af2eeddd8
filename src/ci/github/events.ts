/**
 * What happens to a verified delivery: decided at once (route), journalled, then handled (resume):
 * find its pipeline, add job details, hand it to the core.
 */

import type { SecurityAlert } from '../../core/notify/security.ts';
import type { ExternalRunUpdate } from '../../core/pipeline-events.ts';
import type { CiSystemContext } from '../../modules/ci-system.ts';
import type { GithubActions } from './actions.ts';
import type { GithubDeployments } from './deployments.ts';
import { parseGithubEvent, type RunEvent } from './parse.ts';
import type { GithubPipeline, GithubPipelines } from './pipelines.ts';
import { securityAlert } from './security.ts';
import { failureReason, jobStep } from './status.ts';

/** What the event handling needs: the pipelines, REST lookups, deployments and the core's sinks. */
export interface GithubEventsOptions {
  pipelines: GithubPipelines;
  actions: Pick<GithubActions, 'jobs' | 'workflowPath'>;
  deployments: Pick<GithubDeployments, 'runUpdated'>;
  context: Pick<CiSystemContext, 'apply' | 'onAlert' | 'logger' | 'clock'>;
}

/** What a delivery leaves in the journal: plain JSON, handled by `resume`. */
export type GithubEntry = { type: 'run'; event: RunEvent } | { type: 'alert'; alert: SecurityAlert };

/** The journal's source name for GitHub's entries. */
export const githubSource = 'github';

/** The answer for the sender, and what to journal (entries with one key are handled in order). */
export type Routed =
  | { outcome: 'accepted'; key: string; entry: GithubEntry }
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'invalid'; reason: string };

/** Routes verified deliveries to the core. */
export class GithubEvents {
  /** Which pipeline each recent run belongs to ('' for runs of workflows deckhand does not run). */
  private readonly runPipelines = new Map<string, string>();

  constructor(private readonly o: GithubEventsOptions) {}

  /** Decides synchronously whether a delivery matters; the work (API calls, updates) comes after. */
  route(event: string, payload: unknown): Routed {
    if (event === 'dependabot_alert' || event === 'code_scanning_alert') {
      const alert = securityAlert(payload);
      if (!alert) return { outcome: 'ignored', reason: 'an alert without a known severity' };
      if (this.o.pipelines.inRepo(alert.repository).length === 0)
        return { outcome: 'ignored', reason: `no pipeline uses ${alert.repository}` };
      return { outcome: 'accepted', key: `alert ${alert.repository}`, entry: { type: 'alert', alert } };
    }
    const parsed = parseGithubEvent(event, payload, this.o.context.clock.now());
    if (parsed.kind !== 'run') return { outcome: parsed.kind, reason: parsed.reason };
    const candidates = this.o.pipelines.inRepo(parsed.repo);
    if (candidates.length === 0) return { outcome: 'ignored', reason: `no pipeline uses ${parsed.repo}` };
    const direct = this.o.pipelines.byWorkflow(parsed.repo, parsed.workflow);
    if (!direct && parsed.workflow.path) {
      this.remember(parsed, ''); // its job events need no lookup
      return { outcome: 'ignored', reason: `no pipeline runs ${parsed.workflow.path} in ${parsed.repo}` };
    }
    const key = `${parsed.repo.toLowerCase()}#${parsed.runId}`;
    return { outcome: 'accepted', key, entry: { type: 'run', event: parsed } };
  }

  /** Handles a journalled entry (after the answer, or after a restart). */
  async resume(data: unknown): Promise<void> {
    const entry = data as GithubEntry;
    if (entry.type === 'alert') return this.o.context.onAlert(entry.alert);
    const event: RunEvent = {
      ...entry.event,
      update: { ...entry.event.update, at: new Date(entry.event.update.at) },
    };
    await this.deliver(event, this.o.pipelines.byWorkflow(event.repo, event.workflow));
  }

  private async deliver(event: RunEvent, direct: GithubPipeline | undefined): Promise<void> {
    const pipeline = direct ?? (await this.lookup(event));
    this.remember(event, pipeline?.name ?? '');
    if (!pipeline) return;
    const update: ExternalRunUpdate = { ...event.update, pipeline: pipeline.name };
    if (event.details) await this.addJobs(update, pipeline, event.details);
    await this.o.context.apply(update);
    await this.o.deployments.runUpdated(update);
  }

  /** A job or deployment event names no workflow file: remembered from the run's events, or asked. */
  private async lookup(event: RunEvent): Promise<GithubPipeline | undefined> {
    const known = this.runPipelines.get(`${event.repo.toLowerCase()}#${event.runId}`);
    if (known !== undefined) return known ? this.o.pipelines.get(known) : undefined;
    const repo = this.o.pipelines.inRepo(event.repo)[0]?.repo;
    if (!repo) return undefined;
    const workflow = await this.o.actions.workflowPath(repo, event.runId);
    return this.o.pipelines.byWorkflow(event.repo, workflow);
  }

  private remember(event: RunEvent, pipeline: string): void {
    this.runPipelines.set(`${event.repo.toLowerCase()}#${event.runId}`, pipeline);
    if (this.runPipelines.size > 2000)
      this.runPipelines.delete(this.runPipelines.keys().next().value as string);
  }

  /** Jobs as steps, and for a failure the sentence naming the failed job and step. */
  private async addJobs(
    update: ExternalRunUpdate,
    pipeline: GithubPipeline,
    details: NonNullable<RunEvent['details']>,
  ): Promise<void> {
    const failed = update.status === 'failed' || update.status === 'cancelled';
    try {
      const jobs = await this.o.actions.jobs(pipeline.repo, update.externalId);
      update.steps = jobs.map((job, index) => jobStep(job, index));
      if (failed) {
        const reason = failureReason(jobs, details.conclusion);
        update.reason =
          details.fallback && reason === failureReason([], details.conclusion) ? details.fallback : reason;
      }
    } catch (error) {
      this.o.context.logger.warn(
        { runId: update.externalId, err: (error as Error).message },
        'could not list the jobs of a GitHub run',
      );
      if (failed) update.reason = details.fallback ?? failureReason([], details.conclusion);
    }
  }
}
