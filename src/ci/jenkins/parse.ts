/** Jenkins build JSON normalised into deckhand's terms: status, commit, steps, tests, why it failed. */
import type { CommitInfo, RunStatus, StepInfo, TestSummary } from '../../core/pipeline-events.ts';
import type { BuildJson, ChangeItem, StageJson, StageNodeJson } from './client.ts';

/**
 * A build result as a run status. `result` is null while the build runs; UNSTABLE (tests failed)
 * counts as failed, NOT_BUILT and ABORTED as cancelled
 * (https://javadoc.jenkins.io/hudson/model/Result.html).
 */
export function runStatus(result: string | null | undefined, building?: boolean): RunStatus {
  if (building || result === null || result === undefined) return 'running';
  switch (result) {
    case 'SUCCESS':
      return 'succeeded';
    case 'UNSTABLE':
    case 'FAILURE':
      return 'failed';
    case 'ABORTED':
    case 'NOT_BUILT':
      return 'cancelled';
    default:
      return 'failed';
  }
}

/**
 * A stage status from the Pipeline REST API (`wfapi`) as a step status
 * (https://github.com/jenkinsci/pipeline-stage-view-plugin/tree/master/rest-api).
 */
export function stageStatus(status: string | undefined): RunStatus {
  switch (status) {
    case 'SUCCESS':
      return 'succeeded';
    case 'FAILED':
    case 'UNSTABLE':
      return 'failed';
    case 'IN_PROGRESS':
    case 'PAUSED_PENDING_INPUT':
      return 'running';
    case 'ABORTED':
    case 'SKIPPED':
      return 'cancelled';
    default:
      return 'queued';
  }
}

/** Stages as steps, in order. */
export function stepsOf(stages: StageJson[]): StepInfo[] {
  return stages
    .filter((s) => typeof s.name === 'string' && s.name !== '')
    .map((s, index) => ({
      index,
      name: s.name as string,
      status: stageStatus(s.status),
      durationMs: typeof s.durationMillis === 'number' ? s.durationMillis : undefined,
    }));
}

/** Values of the build's parameters, by name. */
export function parametersOf(build: BuildJson): Record<string, string> {
  const out: Record<string, string> = {};
  for (const action of build.actions ?? []) {
    for (const p of action?.parameters ?? []) {
      if (typeof p.name === 'string' && ['string', 'number', 'boolean'].includes(typeof p.value))
        out[p.name] = String(p.value);
    }
  }
  return out;
}

/** The git branch the git plugin says it built, if any. */
export function builtBranch(build: BuildJson): string | undefined {
  for (const action of build.actions ?? []) {
    const name = action?.lastBuiltRevision?.branch?.[0]?.name;
    if (name) return name;
  }
  return undefined;
}

/** The commit built: the newest change-set entry, else the git plugin's revision. */
export function commitOf(build: BuildJson): CommitInfo | undefined {
  const items: ChangeItem[] = [
    ...(build.changeSets ?? []).flatMap((s) => s.items ?? []),
    ...(build.changeSet?.items ?? []),
  ];
  const sha = build.actions?.find((a) => a?.lastBuiltRevision?.SHA1)?.lastBuiltRevision?.SHA1;
  const item = (sha ? items.find((i) => i.commitId === sha) : undefined) ?? items.at(-1);
  const commitSha = sha ?? item?.commitId;
  if (!commitSha) return undefined;
  return {
    sha: commitSha,
    message: (item?.msg ?? item?.comment ?? '').trim(),
    author: item?.author?.fullName,
    authorEmail: item?.authorEmail || undefined,
  };
}

/** Who started the build on the Jenkins side (a user cause), if anyone did. */
export function actorOf(build: BuildJson): { login?: string } | undefined {
  for (const action of build.actions ?? []) {
    for (const cause of action?.causes ?? []) if (cause.userId) return { login: cause.userId };
  }
  return undefined;
}

/** Test counts from the JUnit plugin's action; failures come from `testFailures` when given. */
export function testsOf(build: BuildJson, testFailures: string[] = []): TestSummary | undefined {
  const action = build.actions?.find((a) => typeof a?.totalCount === 'number');
  if (!action) return undefined;
  return {
    total: action.totalCount ?? 0,
    failed: action.failCount ?? 0,
    skipped: action.skipCount ?? 0,
    failures: testFailures.slice(0, 50).map(splitTestName),
  };
}

/** `com.example.CartTest.checkout` → suite `com.example.CartTest`, name `checkout`. */
export function splitTestName(full: string): { suite: string; name: string } {
  const at = full.lastIndexOf('.');
  return at > 0 ? { suite: full.slice(0, at), name: full.slice(at + 1) } : { suite: '', name: full };
}

/** Why a Pipeline build failed, from its failed stage and that stage's failed step. */
export function stageReason(stage: StageNodeJson, unstable: boolean): string {
  const step = stage.stageFlowNodes?.find((n) => n.status === 'FAILED' || n.status === 'UNSTABLE');
  const what = unstable ? 'was marked unstable' : 'failed';
  if (!step?.name) return `Stage '${stage.name}' ${what}.`;
  const detail = step.parameterDescription ? ` (${oneLine(step.parameterDescription, 80)})` : '';
  const error = step.error?.message ? `: ${oneLine(step.error.message, 160)}` : '';
  return `Stage '${stage.name}' ${what} at step '${step.name}'${detail}${error}.`;
}

/**
 * Why a build failed, read from the end of its console log: a freestyle build prints
 * "Build step 'Execute shell' marked build as failure"; a Pipeline prints `[Pipeline] { (Stage)`
 * as each stage starts.
 */
export function logReason(job: string, number: number, logTail: string, unstable: boolean): string {
  const what = unstable ? 'finished unstable' : 'failed';
  const step = [
    ...logTail.matchAll(/Build step '([^'\n]+)' (?:marked build as failure|changed build result to \w+)/g),
  ].at(-1)?.[1];
  if (step) return `Jenkins job '${job}' #${number} ${what} at build step '${step}'.`;
  const stage = [...logTail.matchAll(/^\[Pipeline\] \{ \(([^)\n]+)\)$/gm)].at(-1)?.[1];
  if (stage) return `Jenkins job '${job}' #${number} ${what} in stage '${stage}'.`;
  return `Jenkins job '${job}' #${number} ${what}${unstable ? ' (usually failing tests)' : ''}.`;
}

function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
