/** Deployment history questions: what is live, what a rollback would restore, what the order allows. */
import type { Catalog } from './catalog.ts';
import { UserError } from './errors.ts';
import type { DeployOrder, Judged, OrderHit } from './gates/order.ts';
import type { Message } from './messages.ts';
import { shaPattern } from './refs.ts';
import type { DeploymentRecord, DeploymentStore, RunRecord } from './store.ts';

/** How far back history questions look. */
const depth = 500;

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
  const history = await store.history(environment, depth);
  const current = history.find((d) => d.result === 'succeeded');
  if (!current) return {};
  const before = current.kind === 'rollback' && current.restoresId ? current.restoresId : current.id;
  // Two deploys of the same branch are different versions when their commits differ.
  const differs = (d: DeploymentRecord) =>
    d.commitSha && current.commitSha ? d.commitSha !== current.commitSha : d.version !== current.version;
  const target = history.find((d) => d.result === 'succeeded' && d.id < before && differs(d));
  return { current, target };
}

/** Whether a deployment is of `version` (by name, or by commit where one is known). */
export function isVersion(d: DeploymentRecord, version: string, commitSha?: string): boolean {
  if (d.version === version) return true;
  if (commitSha && d.commitSha === commitSha) return true;
  return shaPattern.test(version) && d.commitSha?.startsWith(version) === true;
}

/** The newest successful deployment of `version` in an environment, if it ever succeeded there. */
export async function succeededWith(
  store: DeploymentStore,
  environment: string,
  version: string,
  commitSha?: string,
): Promise<DeploymentRecord | undefined> {
  const history = await store.history(environment, depth);
  return history.find((d) => d.result === 'succeeded' && isVersion(d, version, commitSha));
}

/** The versions that succeeded in an environment, newest first, each once. */
export async function succeededVersions(store: DeploymentStore, environment: string): Promise<string[]> {
  const history = await store.history(environment, depth);
  return [...new Set(history.filter((d) => d.result === 'succeeded').map((d) => d.version))];
}

/** The version a promote takes: what is live in `from`; a UserError when nothing is. */
export async function promotedVersion(store: DeploymentStore, from: string): Promise<DeploymentRecord> {
  const live = await store.current(from);
  if (!live) throw new UserError(`Nothing to promote: \`${from}\` has no successful deployment yet.`);
  return live;
}

export interface OrderOptions {
  /** Environment → the one a version must have succeeded in first. */
  after: Readonly<Record<string, string>>;
  breakGlassRoles: string[];
  deployments: DeploymentStore;
  catalog: Catalog;
  /** Commands that deploy a version: `deploy` (its `version`) and `promote` (what `from` runs). */
  deploying?: { deploy: string; promote: string };
}

/** The configured order as a gate: deploys and promotes of a version that skipped an environment. */
export function deployOrder(o: OrderOptions): DeployOrder {
  const names = o.deploying ?? { deploy: 'deploy', promote: 'promote' };
  return {
    async check(input: Judged): Promise<OrderHit | undefined> {
      const to = input.environment;
      const before = to === undefined ? undefined : o.after[to];
      let version: string;
      let commitSha: string | undefined;
      if (input.command === names.promote) {
        // A promote with nothing to promote is refused before anyone is asked to confirm it.
        const live = await promotedVersion(o.deployments, input.args.from as string);
        if (input.args.from === to)
          throw new UserError(`Promote from one environment to another, not \`${to}\` to itself.`);
        version = live.version;
        commitSha = live.commitSha;
      } else if (input.command === names.deploy && before) {
        version = input.args.version ?? o.catalog.defaultBranch(o.catalog.pipelineFor('deploy'));
      } else return undefined;
      if (!to || !before) return undefined;
      if (await succeededWith(o.deployments, before, version, commitSha)) return undefined;
      return {
        sentence:
          `\`${version}\` has not succeeded in \`${before}\`, which comes before \`${to}\` ` +
          `(deployments.after). Deploy it there first: \`/ci deploy ${before} ${version}\`.`,
        breakGlassRoles: o.breakGlassRoles,
      };
    },
  };
}

/** Whether a run was started on the CI side, not by deckhand (nobody in chat asked for it). */
export function startedOutside(run: Pick<RunRecord, 'source'>): boolean {
  return run.source.platform === '';
}

/** "2026-12-06 14:03 UTC". */
export function when(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A deployment's version as shown: the version, and its commit when that says more. */
export function shownVersion(d: Pick<DeploymentRecord, 'version' | 'commitSha'>): string {
  const sha = d.commitSha?.slice(0, 7);
  return sha && !d.commitSha?.startsWith(d.version) ? `\`${d.version}\` (${sha})` : `\`${d.version}\``;
}

/** What the configured channel is told of a deploy a CI system made without deckhand. */
export function outsideNotice(run: RunRecord, mention: (id: string) => string): Message {
  return {
    status: 'warning',
    header: `Changed outside deckhand: ${run.environment}`,
    text:
      `${run.provider} is deploying \`${run.version ?? run.ref}\` to \`${run.environment}\` (run #${run.id}), ` +
      `started by ${mention(run.requestedBy)} on the CI side, not by a command here.`,
    context: ['`/ci envs` marks the environment; `/ci history` lists the deploy.'],
    ...(run.url ? { link: { label: 'Open run', url: run.url } } : {}),
  };
}
