/**
 * The Jenkins remote access API calls deckhand makes
 * (https://www.jenkins.io/doc/book/using/remote-access-api/). Job paths are always built with
 * `jobUrlPath`, so user-supplied names reach Jenkins as encoded path segments only.
 */
import { ProviderError } from '../../core/errors.ts';
import type { JenkinsHttp, RequestContext } from './http.ts';
import { jobUrlPath } from './paths.ts';

/** A job or folder as `GET {job}/api/json` describes it. */
export interface JobJson {
  _class?: string;
  name?: string;
  jobs?: { name?: string; _class?: string }[];
}

/** A queue item (`GET /queue/item/N/api/json`): `executable` once it became a build. */
export interface QueueItemJson {
  id?: number;
  cancelled?: boolean;
  why?: string | null;
  executable?: { number?: number; url?: string } | null;
}

/** One entry of a build's `actions` (causes, parameters, git data, test counts). */
export interface BuildAction {
  _class?: string;
  causes?: { userId?: string | null; userName?: string | null; shortDescription?: string }[];
  parameters?: { name?: string; value?: unknown }[];
  lastBuiltRevision?: { SHA1?: string; branch?: { name?: string }[] };
  failCount?: number;
  skipCount?: number;
  totalCount?: number;
}

/** A change-set entry from the git plugin. */
export interface ChangeItem {
  commitId?: string;
  msg?: string;
  comment?: string;
  authorEmail?: string;
  author?: { fullName?: string };
}

/** A build as `GET {job}/{n}/api/json` describes it. */
export interface BuildJson {
  number?: number;
  url?: string;
  result?: string | null;
  building?: boolean;
  duration?: number;
  timestamp?: number;
  actions?: (BuildAction | null)[];
  /** Pipeline builds. */
  changeSets?: { items?: ChangeItem[] }[];
  /** Freestyle builds. */
  changeSet?: { items?: ChangeItem[] };
}

/** A stage as the Pipeline REST API (`wfapi`) describes it. */
export interface StageJson {
  id?: string;
  name?: string;
  status?: string;
  startTimeMillis?: number;
  durationMillis?: number;
}

/** A stage with its steps (`execution/node/{id}/wfapi/describe`). */
export interface StageNodeJson extends StageJson {
  stageFlowNodes?: (StageJson & { parameterDescription?: string; error?: { message?: string } })[];
}

/** A piece of console log from `logText/progressiveText`. */
export interface LogChunk {
  text: string;
  /** `X-Text-Size`: where the next request starts. */
  next: number;
  /** `X-More-Data: true`: the build is still writing. */
  more: boolean;
}

const changeItems = 'items[commitId,msg,comment,authorEmail,author[fullName]]';
const buildTree = [
  'number,url,result,building,duration,timestamp',
  'actions[causes[userId,userName,shortDescription],parameters[name,value],lastBuiltRevision[SHA1,branch[name]],failCount,skipCount,totalCount]',
  `changeSets[${changeItems}],changeSet[${changeItems}]`,
].join(',');
const tree = (t: string) => `tree=${encodeURIComponent(t)}`;

/** The Jenkins endpoints deckhand uses, on top of {@link JenkinsHttp}. */
export class JenkinsClient {
  constructor(readonly http: JenkinsHttp) {}

  /** The browser URL of a job (or of one of its builds). */
  jobUrl(job: string, number?: number): string {
    return `${this.http.base()}${jobUrlPath(job)}/${number === undefined ? '' : `${number}/`}`;
  }

  /** A job or folder with its child item names. */
  job(job: string, ctx: RequestContext = {}): Promise<JobJson> {
    return this.http.json<JobJson>(`${jobUrlPath(job)}/api/json?${tree('name,jobs[name]')}`, {
      what: `job ${job}`,
      ...ctx,
    });
  }

  /**
   * Queues a build: `buildWithParameters` with a form, or `build` without parameters. Jenkins
   * answers 201 with `Location: …/queue/item/N/`; the queue id is returned when present.
   */
  async trigger(job: string, parameters: Record<string, string>, ctx: RequestContext = {}) {
    const names = Object.keys(parameters);
    const form = names.length > 0 ? new URLSearchParams(parameters) : undefined;
    const endpoint = form ? 'buildWithParameters' : 'build';
    const res = await this.http.post(`${jobUrlPath(job)}/${endpoint}`, form, { what: `job ${job}`, ...ctx });
    await res.body?.cancel().catch(() => undefined);
    const location = res.headers.get('location') ?? '';
    const id = /\/queue\/item\/(\d+)\/?$/.exec(location)?.[1];
    return { queueId: id === undefined ? undefined : Number(id) };
  }

  /** A queue item; its id is a number, so nothing user-supplied reaches this URL. */
  queueItem(id: number): Promise<QueueItemJson> {
    return this.http.json<QueueItemJson>(`/queue/item/${id}/api/json`, {
      what: `queue item ${id}`,
      on404: 'the item left the queue more than five minutes ago',
    });
  }

  /** Cancels a queued item (`POST /queue/cancelItem?id=N`). */
  async cancelQueueItem(id: number): Promise<void> {
    const res = await this.http.post(`/queue/cancelItem?id=${id}`, undefined, { what: `queue item ${id}` });
    await res.body?.cancel().catch(() => undefined);
  }

  /** A build's state, commit, causes, parameters and test counts. */
  build(job: string, number: number): Promise<BuildJson> {
    return this.http.json<BuildJson>(`${jobUrlPath(job)}/${number}/api/json?${tree(buildTree)}`, {
      what: `build ${job} #${number}`,
    });
  }

  /** Aborts a running build (`POST {job}/{n}/stop`). */
  async stop(job: string, number: number): Promise<void> {
    const res = await this.http.post(`${jobUrlPath(job)}/${number}/stop`, undefined, {
      what: `build ${job} #${number}`,
    });
    await res.body?.cancel().catch(() => undefined);
  }

  /** Stages of a Pipeline build, or undefined when the job is not a Pipeline or `wfapi` is absent. */
  async stages(job: string, number: number): Promise<StageJson[] | undefined> {
    const described = await this.optional<{ stages?: StageJson[] }>(
      `${jobUrlPath(job)}/${number}/wfapi/describe`,
      `build ${job} #${number}`,
    );
    return Array.isArray(described?.stages) ? described.stages : undefined;
  }

  /** One stage with its steps, or undefined when `wfapi` cannot say. */
  stage(job: string, number: number, nodeId: string): Promise<StageNodeJson | undefined> {
    if (!/^\d+$/.test(nodeId)) return Promise.resolve(undefined);
    return this.optional<StageNodeJson>(
      `${jobUrlPath(job)}/${number}/execution/node/${nodeId}/wfapi/describe`,
      `build ${job} #${number}`,
    );
  }

  /** Console text from byte `start`, following `X-Text-Size` and `X-More-Data`. */
  async logChunk(
    job: string,
    number: number,
    start: number,
    maxBytes: number,
  ): Promise<LogChunk & { skipped: number }> {
    const res = await this.http.get(`${jobUrlPath(job)}/${number}/logText/progressiveText?start=${start}`, {
      what: `the log of ${job} #${number}`,
    });
    const { text, skipped } = await readTail(res.body, maxBytes);
    const size = Number(res.headers.get('x-text-size'));
    const next = Number.isFinite(size) && size >= 0 ? size : start + Buffer.byteLength(text);
    return { text, next, more: res.headers.get('x-more-data') === 'true', skipped };
  }

  private async optional<T>(path: string, what: string): Promise<T | undefined> {
    try {
      return await this.http.json<T>(path, { what });
    } catch (error) {
      if (error instanceof ProviderError && (error.status === 404 || error.status === 400)) return undefined;
      throw error;
    }
  }
}

/** Reads a body keeping only its last `maxBytes` (a long log never sits in memory whole). */
async function readTail(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<{ text: string; skipped: number }> {
  if (!body) return { text: '', skipped: 0 };
  const chunks: Buffer[] = [];
  let kept = 0;
  let skipped = 0;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    chunks.push(Buffer.from(chunk));
    kept += chunk.byteLength;
    while (kept > maxBytes && chunks.length > 0) {
      const first = chunks[0] as Buffer;
      const drop = Math.min(first.length, kept - maxBytes);
      if (drop === first.length) chunks.shift();
      else chunks[0] = first.subarray(drop);
      kept -= drop;
      skipped += drop;
    }
  }
  return { text: Buffer.concat(chunks).toString('utf8'), skipped };
}
