/** A CI provider for tests: records what it is asked to run and answers as it is told. */
import type { CiProvider, Comparison, LogTail, RunSpec } from '../../src/core/ports.ts';

export class ScriptedProvider implements CiProvider {
  readonly name = 'local';
  readonly triggered: RunSpec[] = [];
  readonly cancelled: number[] = [];
  branches = ['main', 'develop', 'release/1.0'];
  refs = new Set(['v1.0.0', 'v1.1.0', 'v1.2.0', 'main']);
  failTrigger: Error | undefined;
  async trigger(spec: RunSpec) {
    if (this.failTrigger) throw this.failTrigger;
    this.triggered.push(spec);
    return this.anonymous
      ? undefined
      : { externalId: `ext-${spec.runId}`, url: `https://ci.test/runs/${spec.runId}` };
  }
  async cancel(runId: number) {
    this.cancelled.push(runId);
    return true;
  }
  async listBranches() {
    return this.branches;
  }
  /** What `logTail` answers. */
  tail: LogTail | undefined;
  /** Leave the CI id out of the trigger's answer (as GitHub's dispatch without run details). */
  anonymous = false;
  async logTail(_runId: number, _externalId: string, _job?: string) {
    return this.tail;
  }
  async hasRef(_pipeline: string, ref: string) {
    return this.refs.has(ref) || this.branches.includes(ref);
  }
  /** What `compare` answers. */
  comparison: Comparison | undefined;
  async compare(_pipeline: string, _from: string, _to: string) {
    return this.comparison;
  }
}
