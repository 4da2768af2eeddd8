/**
 * Deploys and rollbacks recorded through GitHub's Deployments API
 * (https://docs.github.com/en/rest/deployments/deployments): a deployment when the run is asked
 * for, `in_progress` once the workflow is dispatched, `success`/`failure`/`error` when it ends.
 */
import { ProviderError } from '../../core/errors.ts';
import type { ExternalRunUpdate } from '../../core/pipeline-events.ts';
import type { RunSpec, TriggerResult } from '../../core/ports.ts';
import type { CiSystemContext } from '../../modules/ci-system.ts';
import type { GithubClient } from './client.ts';
import type { GithubPipeline, Repo } from './pipelines.ts';

type State = 'in_progress' | 'success' | 'failure' | 'error';

/** A deployment deckhand created and has not finished yet. */
export interface TrackedDeployment {
  id: number;
  repo: Repo;
  pipeline: string;
  ref: string;
  runId: number;
  externalId?: string;
}

/** GitHub limits a status description to 140 characters. */
const short = (text: string) => (text.length > 140 ? `${text.slice(0, 139)}…` : text);

/** Creates deckhand's deployments on GitHub and moves their statuses along with the runs. */
export class GithubDeployments {
  private readonly open: TrackedDeployment[] = [];

  constructor(
    private readonly client: GithubClient,
    private readonly logger: CiSystemContext['logger'],
  ) {}

  /** Whether a run gets a GitHub deployment: deploys and rollbacks, unless the pipeline opts out. */
  wanted(pipeline: GithubPipeline, spec: RunSpec): boolean {
    return (
      (spec.kind === 'deploy' || spec.kind === 'rollback') &&
      !!spec.params.environment &&
      pipeline.deployments
    );
  }

  /** Creates the deployment before the workflow is dispatched; a refusal stops the run. */
  async create(pipeline: GithubPipeline, spec: RunSpec): Promise<TrackedDeployment> {
    const { repo } = pipeline;
    const environment = spec.params.environment as string;
    const version = spec.params.version ?? spec.ref;
    const who = spec.params.requested_by ? ` for ${spec.params.requested_by}` : '';
    const call = {
      what: `a deployment of ${spec.ref} to ${environment} in ${repo.fullName}`,
      check: 'the repository name',
      invalid: 'that the version exists on GitHub',
    };
    const { data } = await this.client.call(repo, call, (octokit) =>
      octokit.rest.repos.createDeployment({
        owner: repo.owner,
        repo: repo.repo,
        ref: spec.ref,
        environment,
        description: short(
          `${spec.kind === 'rollback' ? 'Rollback' : 'Deploy'} of ${version}${who} (deckhand run #${spec.runId})`,
        ),
        required_contexts: [],
        auto_merge: false,
        payload: { deckhand_run_id: spec.runId },
      }),
    );
    // A 202 (merged the default branch first) never comes with auto_merge off; refuse it anyway.
    if (!('id' in data)) {
      throw new ProviderError(
        `GitHub did not create the deployment (${data.message ?? 'no id'}): check the ref.`,
      );
    }
    const tracked: TrackedDeployment = {
      id: data.id,
      repo,
      pipeline: pipeline.name,
      ref: spec.ref,
      runId: spec.runId,
    };
    this.open.push(tracked);
    if (this.open.length > 500) this.open.shift();
    return tracked;
  }

  /** The workflow is dispatched: the deployment is in progress, with the run as its log. */
  async started(tracked: TrackedDeployment, result: TriggerResult): Promise<void> {
    tracked.externalId = result.externalId;
    await this.status(tracked, 'in_progress', `Running (deckhand run #${tracked.runId})`, result.url);
  }

  /** The dispatch failed: the deployment did not happen. */
  async notStarted(tracked: TrackedDeployment, reason: string): Promise<void> {
    this.forget(tracked);
    await this.status(tracked, 'error', reason);
  }

  /** A run's update from a webhook: a final state ends the deployment it belongs to. */
  async runUpdated(update: ExternalRunUpdate): Promise<void> {
    if (update.status !== 'succeeded' && update.status !== 'failed' && update.status !== 'cancelled') return;
    const tracked =
      this.open.find((d) => d.externalId === update.externalId) ??
      // Dispatched without a run id: the oldest open deployment of this pipeline at this ref.
      this.open.find((d) => !d.externalId && d.pipeline === update.pipeline && d.ref === update.ref);
    if (!tracked) return;
    this.forget(tracked);
    const state: State =
      update.status === 'succeeded' ? 'success' : update.status === 'failed' ? 'failure' : 'error';
    const description =
      update.status === 'succeeded' ? 'Deployed' : (update.reason ?? `Run ${update.status}`);
    await this.status(tracked, state, description, update.url);
  }

  private forget(tracked: TrackedDeployment): void {
    const at = this.open.indexOf(tracked);
    if (at >= 0) this.open.splice(at, 1);
  }

  /** Sets a status; a failure here is logged, never fails the run. */
  private async status(tracked: TrackedDeployment, state: State, description: string, logUrl?: string) {
    const { repo } = tracked;
    const call = { what: `deployment ${tracked.id} in ${repo.fullName}`, check: 'the deployment' };
    try {
      await this.client.call(repo, call, (octokit) =>
        octokit.rest.repos.createDeploymentStatus({
          owner: repo.owner,
          repo: repo.repo,
          deployment_id: tracked.id,
          state,
          description: short(description),
          ...(logUrl ? { log_url: logUrl } : {}),
        }),
      );
    } catch (error) {
      this.logger.warn(
        { deployment: tracked.id, state, err: (error as Error).message },
        'could not set the GitHub deployment status',
      );
    }
  }
}
