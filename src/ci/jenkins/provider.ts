/** The core's `CiProvider` on Jenkins: trigger, cancel, rerun, log tails, branches. */
import type { LoadedConfig } from '../../config/load.ts';
import { ProviderError } from '../../core/errors.ts';
import type { CiProvider, LogTail, RunSpec, TriggerResult } from '../../core/ports.ts';
import type { JenkinsClient } from './client.ts';
import type { TailCache } from './log-tail.ts';
import { parametersOf } from './parse.ts';
import { branchItemName, branchOfItemName, buildId, parseBuildId } from './paths.ts';
import {
  type JenkinsPipeline,
  jenkinsPipelines,
  mapParameters,
  matchJob,
  pipelineNamed,
} from './pipelines.ts';
import type { JenkinsPoller } from './poller.ts';

/** What the provider needs. */
export interface JenkinsProviderDeps {
  config: LoadedConfig;
  client: JenkinsClient;
  poller: JenkinsPoller;
  tails: TailCache;
  /** Build URLs as Jenkins stated them. */
  buildUrls: Map<string, string>;
  logger: { info(o: object, m?: string): void; warn(o: object, m?: string): void };
  /** How long `trigger` waits for the queue item to become a build before the poller takes over. */
  queueWaitMs: number;
  queuePollMs: number;
}

const isMultibranch = (cls: string | undefined) => /MultiBranchProject$/.test(cls ?? '');
const looksLikeCommit = (ref: string) => /^[0-9a-f]{7,40}$/i.test(ref);
const looksLikeTag = (ref: string) => /^v?\d+(?:\.\d+)*(?:[-+.][\w.-]*)?$/.test(ref);

/** The `CiProvider` named `jenkins`. */
export function createJenkinsProvider(d: JenkinsProviderDeps): CiProvider {
  const { client, poller } = d;
  /** Whether each configured job is a multibranch project (job types do not change). */
  const multibranch = new Map<string, boolean>();
  const on404 = (p: JenkinsPipeline) => `check pipelines.${p.name}.jenkins.job`;

  /** The configured job, with its child items (branch names) when it is a multibranch project. */
  const describe = async (p: JenkinsPipeline) => {
    const info = await client.job(p.job, { on404: on404(p) });
    const multi = isMultibranch(info._class);
    multibranch.set(p.job, multi);
    return { multi, items: (info.jobs ?? []).flatMap((j) => (typeof j.name === 'string' ? [j.name] : [])) };
  };
  const isMulti = async (p: JenkinsPipeline) => multibranch.get(p.job) ?? (await describe(p)).multi;

  const waitForBuild = async (queueId: number, job: string) => {
    const deadline = Date.now() + d.queueWaitMs;
    for (;;) {
      const item = await client.queueItem(queueId);
      if (item.cancelled)
        throw new ProviderError(
          `Jenkins cancelled the queued build of ${job}: check the job's queue and its executors.`,
        );
      const number = item.executable?.number;
      if (typeof number === 'number') return { number, url: item.executable?.url };
      if (Date.now() + d.queuePollMs > deadline) return undefined;
      await new Promise((resolve) => setTimeout(resolve, d.queuePollMs));
    }
  };

  return {
    name: 'jenkins',

    async trigger(spec: RunSpec): Promise<TriggerResult | undefined> {
      const p = pipelineNamed(d.config, spec.pipeline);
      // A multibranch project builds the branch job named after the ref.
      const job = (await isMulti(p)) ? `${p.job}/${branchItemName(spec.ref)}` : p.job;
      const match = matchJob([p], job) ?? { pipeline: p };
      const parameters = mapParameters(p.parameters, spec);
      const { queueId } = await client.trigger(job, parameters, {
        on404: (await isMulti(p))
          ? `check that the multibranch project ${p.job} has indexed branch '${spec.ref}'`
          : on404(p),
        on400: `check that the job takes the parameters in pipelines.${p.name}.jenkins.parameters (and none when it has no parameters)`,
      });
      if (queueId === undefined) {
        d.logger.warn(
          { job },
          'Jenkins accepted the build without a queue item location; its webhook must report it',
        );
        return { url: client.jobUrl(job) };
      }
      const build = await waitForBuild(queueId, job);
      if (!build) {
        poller.watchQueue({ job, match, queueId, runId: spec.runId, ref: spec.ref });
        return { url: client.jobUrl(job) };
      }
      const url = build.url ?? client.jobUrl(job, build.number);
      poller.watchBuild({ job, match, number: build.number, url, runId: spec.runId, ref: spec.ref });
      return { externalId: buildId(job, build.number), url };
    },

    async cancel(runId: number, externalId?: string): Promise<boolean> {
      const watch = poller.byRun(runId);
      const id = externalId ? parseBuildId(externalId) : undefined;
      if (!id && watch?.queueId !== undefined && watch.number === undefined) {
        await client.cancelQueueItem(watch.queueId);
        return true;
      }
      const target =
        id ?? (watch?.number !== undefined ? { job: watch.job, number: watch.number } : undefined);
      if (!target) return false;
      const build = await client.build(target.job, target.number);
      if (!build.building) return false;
      await client.stop(target.job, target.number);
      return true;
    },

    /** Jenkins has no rerun in place (the Rebuild plugin aside): a new build with the same parameters. */
    async rerun(_runId: number, externalId: string): Promise<boolean> {
      const id = parseBuildId(externalId);
      const match = id ? matchJob(jenkinsPipelines(d.config), id.job) : undefined;
      if (!id || !match) return false;
      const parameters = parametersOf(await client.build(id.job, id.number));
      const { queueId } = await client.trigger(id.job, parameters);
      if (queueId !== undefined) poller.watchQueue({ job: id.job, match, queueId });
      d.logger.info({ job: id.job, from: id.number }, 'Jenkins rerun: a new build with the same parameters');
      return true;
    },

    async logTail(_runId: number, externalId: string): Promise<LogTail | undefined> {
      // One console log per build: the failed stage's lines are at its end.
      const id = parseBuildId(externalId);
      if (!id) return undefined;
      const text = await d.tails.get(client, id.job, id.number);
      const buildUrl =
        d.buildUrls.get(externalId) ??
        poller.byBuild(id.job, id.number)?.url ??
        client.jobUrl(id.job, id.number);
      return { text, url: `${buildUrl.replace(/\/?$/, '/')}console` };
    },

    async listBranches(pipeline: string): Promise<string[]> {
      const p = pipelineNamed(d.config, pipeline);
      const { multi, items } = await describe(p);
      // A plain job cannot list its repository's branches (no `git ls-remote` through Jenkins).
      return multi ? items.map(branchOfItemName) : [p.defaultBranch];
    },

    async hasRef(pipeline: string, ref: string): Promise<boolean> {
      const p = pipelineNamed(d.config, pipeline);
      if (!(await isMulti(p))) return true; // the job's parameters carry the ref; Jenkins decides
      if (looksLikeCommit(ref) || looksLikeTag(ref)) return true;
      return (await this.listBranches(pipeline)).includes(ref);
    },
  };
}
