/** Deployment history questions: what is live, and what a rollback would restore. */
import type { DeploymentRecord, DeploymentStore } from './store.ts';

/** The deployment live in an environment: its newest successful one. */
export async function currentDeployment(
  store: DeploymentStore,
  environment: string,
): Promise<DeploymentRecord | undefined> {
  return store.current(environment);
}

/**
 * The last successful version before the current one. A rollback's own predecessor is what came
 * before the deployment it restored, so repeated rollbacks walk back through history.
 */
export async function rollbackTarget(
  store: DeploymentStore,
  environment: string,
): Promise<{ current?: DeploymentRecord; target?: DeploymentRecord }> {
  const history = await store.history(environment, 500);
  const current = history.find((d) => d.result === 'succeeded');
  if (!current) return {};
  const before = current.kind === 'rollback' && current.restoresId ? current.restoresId : current.id;
  // Two deploys of the same branch are different versions when their commits differ.
  const differs = (d: DeploymentRecord) =>
    d.commitSha && current.commitSha ? d.commitSha !== current.commitSha : d.version !== current.version;
  const target = history.find((d) => d.result === 'succeeded' && d.id < before && differs(d));
  return { current, target };
}
