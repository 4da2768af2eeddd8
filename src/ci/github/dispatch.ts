/**
 * Starting a workflow: `POST …/actions/workflows/{workflow}/dispatches`. With
 * `return_run_details: true` GitHub answers 200 with the run's id and URL (changelog 2026-02-19,
 * https://github.blog/changelog/2026-02-19-workflow-dispatch-api-now-returns-run-ids); servers that
 * predate it answer 204 (or 422 naming the parameter), and the run is then looked up by listing
 * the workflow's recent `workflow_dispatch` runs on that branch.
 */
import type { Octokit } from '@octokit/rest';
import type { Clock, RunSpec, TriggerResult } from '../../core/ports.ts';
import { shaPattern } from '../../core/refs.ts';
import type { GithubClient } from './client.ts';
import { type GithubPipeline, workflowInputs } from './pipelines.ts';

/** How long to look for the run a 204 dispatch created. */
export interface FindRunOptions {
  attempts: number;
  intervalMs: number;
}

/** Five looks, two seconds apart. */
export const defaultFindRun: FindRunOptions = { attempts: 5, intervalMs: 2000 };

/** Without GitHub's Date header, runs created this long before the dispatch (clock skew) still count. */
const skewMs = 5000;

/** What a dispatch needs from the provider. */
export interface DispatchDeps {
  client: GithubClient;
  clock: Clock;
  findRun: FindRunOptions;
  /** Run ids already matched to a dispatch, so two dispatches never claim the same run. */
  claimed: Set<string>;
  logger: { warn(o: object, m?: string): void };
}

/** The ref a workflow can be dispatched on: a commit SHA cannot, so it runs from the default branch. */
export function dispatchRef(pipeline: GithubPipeline, ref: string): string {
  return shaPattern.test(ref) ? pipeline.repo.defaultBranch : ref;
}

/** Dispatches the pipeline's workflow; the run id when GitHub tells it or it can be found. */
export async function dispatchWorkflow(
  deps: DispatchDeps,
  pipeline: GithubPipeline,
  spec: RunSpec,
): Promise<TriggerResult> {
  const { owner, repo } = pipeline.repo;
  const ref = dispatchRef(pipeline, spec.ref);
  const body = {
    owner,
    repo,
    workflow_id: pipeline.workflow,
    ref,
    inputs: workflowInputs(pipeline.inputs, spec),
  };
  const call = {
    what: `workflow ${pipeline.workflow} in ${pipeline.repo.fullName}`,
    check: 'the workflow file name',
    invalid: "the workflow's `workflow_dispatch` inputs and the ref",
  };
  const sent = deps.clock.now().getTime();
  const answer = await deps.client.call(pipeline.repo, call, async (octokit) => {
    try {
      return await octokit.rest.actions.createWorkflowDispatch({ ...body, return_run_details: true });
    } catch (error) {
      if (!rejectsRunDetails(error)) throw error;
      return await octokit.rest.actions.createWorkflowDispatch(body);
    }
  });
  // The SDK's types predate the 200 answer.
  const data = (answer as { data?: { workflow_run_id?: unknown; html_url?: string } }).data;
  if (data && typeof data === 'object' && data.workflow_run_id != null) {
    const externalId = String(data.workflow_run_id);
    claim(deps.claimed, externalId);
    return { externalId, url: data.html_url };
  }
  // GitHub's own clock (the answer's Date header) dates the run; ours may be off by a few seconds.
  const date = Date.parse((answer.headers as { date?: string }).date ?? '');
  const since = new Date(Number.isFinite(date) ? date : sent - skewMs);
  return (await findRun(deps, pipeline, ref, since)) ?? {};
}

/** An older server refusing the parameter it does not know (422/400 naming it). */
function rejectsRunDetails(error: unknown): boolean {
  const e = error as { status?: number; message?: string };
  return (e.status === 422 || e.status === 400) && /return_run_details/.test(e.message ?? '');
}

/** Polls the workflow's runs a few times for the one this dispatch created. */
async function findRun(
  deps: DispatchDeps,
  pipeline: GithubPipeline,
  branch: string,
  since: Date,
): Promise<TriggerResult | undefined> {
  const call = { what: `the runs of workflow ${pipeline.workflow}`, check: 'the workflow file name' };
  const list = (octokit: Octokit) =>
    octokit.rest.actions.listWorkflowRuns({
      owner: pipeline.repo.owner,
      repo: pipeline.repo.repo,
      workflow_id: pipeline.workflow,
      event: 'workflow_dispatch',
      branch,
      created: `>=${since.toISOString().replace(/\.\d+Z$/, 'Z')}`,
      per_page: 20,
    });
  for (let attempt = 0; attempt < deps.findRun.attempts; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, deps.findRun.intervalMs));
    let data: Awaited<ReturnType<typeof list>>['data'];
    try {
      ({ data } = await deps.client.call(pipeline.repo, call, list));
    } catch (error) {
      // The workflow was dispatched: without its id the first webhook still finds the run.
      deps.logger.warn({ err: (error as Error).message }, 'could not look up the dispatched GitHub run');
      return undefined;
    }
    // Newest first: the oldest run nobody claimed yet is this dispatch's.
    const run = (data.workflow_runs ?? [])
      .filter((r) => !deps.claimed.has(String(r.id)) && Date.parse(r.created_at) >= since.getTime())
      .at(-1);
    if (run) {
      claim(deps.claimed, String(run.id));
      return { externalId: String(run.id), url: run.html_url };
    }
  }
  return undefined;
}

/** Remembers a run as taken (the last thousand). */
function claim(claimed: Set<string>, id: string): void {
  claimed.add(id);
  if (claimed.size > 1000) claimed.delete(claimed.values().next().value as string);
}
