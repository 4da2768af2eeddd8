/** Deploys to an incident's environments shortly before it began, and the version before them. */
import type { DeploymentStore } from '../store.ts';
import type { RecentDeploys } from './card.ts';
import type { Incident } from './types.ts';

/** Per environment of the incident: its successful deploys in the window before it, and the version before those. */
export async function recentDeploys(
  deployments: Pick<DeploymentStore, 'history'>,
  incident: Pick<Incident, 'environments' | 'createdAt'>,
  windowMs: number,
): Promise<RecentDeploys[]> {
  const from = incident.createdAt.getTime() - windowMs;
  const until = incident.createdAt.getTime();
  const found: RecentDeploys[] = [];
  for (const environment of incident.environments) {
    const history = await deployments.history(environment, 100);
    const succeeded = history.filter((d) => d.result === 'succeeded');
    const deploys = succeeded.filter((d) => {
      const at = d.createdAt.getTime();
      return at >= from && at <= until;
    });
    if (deploys.length === 0) continue;
    const oldest = Math.min(...deploys.map((d) => d.id));
    const before = succeeded.find((d) => d.id < oldest);
    found.push({ environment, deploys, lastGood: before?.version });
  }
  return found;
}
