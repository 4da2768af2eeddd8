/** Reads one Jenkins build through the API into the update the core applies. */
import { type ExternalRunUpdate, finalStatuses, type StepInfo } from '../../core/pipeline-events.ts';
import type { BuildJson, JenkinsClient } from './client.ts';
import type { TailCache } from './log-tail.ts';
import {
  actorOf,
  builtBranch,
  commitOf,
  logReason,
  parametersOf,
  runStatus,
  stageReason,
  stepsOf,
  testsOf,
} from './parse.ts';
import { buildId } from './paths.ts';
import { mappedValue, type PipelineMatch, plainBranch } from './pipelines.ts';

/** The build to read and what deckhand already knows about it. */
export interface BuildRef {
  job: string;
  number: number;
  match: PipelineMatch;
  /** The ref deckhand triggered it for, when it did. */
  ref?: string;
  /** Failed test names a webhook already named. */
  testFailures?: string[];
}

/** What {@link observeBuild} needs besides the build. */
export interface ObserveDeps {
  client: JenkinsClient;
  tails: TailCache;
  /** Jobs whose builds have no Pipeline REST API (freestyle, or the plugin is absent). */
  noStages: Set<string>;
  /** Build URLs as Jenkins states them (its root URL may differ from JENKINS_URL), for links. */
  buildUrls: Map<string, string>;
  now(): Date;
}

/** The build's state as an update: status, steps (stages), commit, tests and, when it failed, why. */
export async function observeBuild(deps: ObserveDeps, ref: BuildRef): Promise<ExternalRunUpdate> {
  const { client } = deps;
  const { job, number, match } = ref;
  const build = await client.build(job, number);
  if (build.url) remember(deps.buildUrls, buildId(job, number), build.url);
  const status = runStatus(build.result, build.building);
  const stages = deps.noStages.has(job) ? undefined : await client.stages(job, number);
  if (!stages) deps.noStages.add(job);
  const steps = stages ? stepsOf(stages) : undefined;
  const parameters = parametersOf(build);
  const update: ExternalRunUpdate = {
    provider: 'jenkins',
    externalId: buildId(job, number),
    pipeline: match.pipeline.name,
    ref: refOf(ref, build, parameters),
    environment: mappedValue(match.pipeline, parameters, ['environment']),
    url: build.url ?? client.jobUrl(job, number),
    status,
    steps: steps && steps.length > 0 ? steps : undefined,
    commit: commitOf(build),
    actor: actorOf(build),
    at: deps.now(),
  };
  if (finalStatuses.has(status)) {
    update.durationMs = typeof build.duration === 'number' && build.duration > 0 ? build.duration : undefined;
    update.tests = testsOf(build, ref.testFailures);
    update.reason = await reasonFor(deps, ref, build, steps, stages);
  }
  return update;
}

function refOf(ref: BuildRef, build: BuildJson, parameters: Record<string, string>): string {
  return (
    ref.ref ??
    ref.match.branch ??
    mappedValue(ref.match.pipeline, parameters, ['branch', 'ref', 'version']) ??
    plainBranch(builtBranch(build)) ??
    ref.match.pipeline.defaultBranch
  );
}

/** One sentence naming the failed stage and step (or build step), for failed and cancelled builds. */
async function reasonFor(
  deps: ObserveDeps,
  ref: BuildRef,
  build: BuildJson,
  steps: StepInfo[] | undefined,
  stages: { id?: string; name?: string }[] | undefined,
): Promise<string | undefined> {
  const { job, number } = ref;
  if (build.result === 'SUCCESS') return undefined;
  if (build.result === 'ABORTED') return `Jenkins build ${job} #${number} was aborted.`;
  if (build.result === 'NOT_BUILT') return `Jenkins did not build ${job} #${number} (NOT_BUILT).`;
  const unstable = build.result === 'UNSTABLE';
  const failed = steps?.find((s) => s.status === 'failed');
  const stage = failed ? stages?.find((s) => s.name === failed.name) : undefined;
  if (stage?.id) {
    const described = await deps.client.stage(job, number, stage.id).catch(() => undefined);
    if (described) return stageReason(described, unstable);
    return `Stage '${failed?.name}' ${unstable ? 'was marked unstable' : 'failed'}.`;
  }
  const tail = await deps.tails.get(deps.client, job, number).catch(() => '');
  return logReason(job, number, tail, unstable);
}

/** Keeps the newest 200 entries. */
function remember(map: Map<string, string>, key: string, value: string): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > 200) map.delete(map.keys().next().value as string);
}
