/**
 * CircleCI's HTTP API through plain `fetch`: API v2 for pipelines, workflows and jobs, API v1.1 for
 * a job's steps (https://circleci.com/docs/api/v2/, https://circleci.com/docs/api/v1/).
 */
import { ProviderError } from '../../core/errors.ts';
import type { Page, Pipeline, TriggeredPipeline, V1Job, Workflow, WorkflowJob } from './api-types.ts';
import { httpError, missingToken, type RequestContext, unreachable } from './client-errors.ts';
import { v1Url } from './settings.ts';
import { slugPath, v1JobPath } from './slug.ts';

export interface CircleciClientOptions {
  /** API v2 base, e.g. `https://circleci.com/api/v2`. */
  apiUrl: string;
  token?: string;
  /** Injected in tests; the global `fetch` otherwise. */
  fetch?: typeof fetch;
  /** Per request (default 10 s). */
  timeoutMs?: number;
  /** Largest step output read for a log tail (default 4 MiB). */
  maxOutputBytes?: number;
}

/** What `POST /project/{slug}/pipeline` takes: a branch or a tag, and typed parameters. */
export interface TriggerBody {
  branch?: string;
  tag?: string;
  parameters?: Record<string, string>;
}

const maxPages = 5;

export class CircleciClient {
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(private readonly o: CircleciClientOptions) {
    this.fetch = o.fetch ?? globalThis.fetch;
    this.timeoutMs = o.timeoutMs ?? 10_000;
  }

  get apiUrl(): string {
    return this.o.apiUrl;
  }

  /** Starts a pipeline; the answer carries its id and number. */
  triggerPipeline(slug: string, body: TriggerBody): Promise<TriggeredPipeline> {
    return this.request('POST', `project/${slugPath(slug)}/pipeline`, {
      body,
      what: `project ${slug}`,
      badRequest:
        'check pipelines.<name>.circleci.parameters against the parameters .circleci/config.yml declares (as type string)',
      notFound:
        "check the project slug under repositories, CIRCLECI_TOKEN's access, and that .circleci/config.yml declares every parameter deckhand sends",
    });
  }

  pipeline(id: string): Promise<Pipeline> {
    return this.request('GET', `pipeline/${encodeURIComponent(id)}`, { what: `pipeline ${id}` });
  }

  /** Every workflow of a pipeline, oldest first. */
  async pipelineWorkflows(id: string): Promise<Workflow[]> {
    const items = await this.all<Workflow>(`pipeline/${encodeURIComponent(id)}/workflow`, `pipeline ${id}`);
    return items.sort((a, b) => (a.created_at ?? '').localeCompare(b.created_at ?? ''));
  }

  workflowJobs(id: string): Promise<WorkflowJob[]> {
    return this.all<WorkflowJob>(`workflow/${encodeURIComponent(id)}/job`, `workflow ${id}`);
  }

  /** The project's latest pipelines, newest first (two pages at most). */
  recentPipelines(slug: string): Promise<Pipeline[]> {
    return this.all<Pipeline>(`project/${slugPath(slug)}/pipeline`, `project ${slug}`, 2);
  }

  async rerunWorkflow(id: string): Promise<void> {
    await this.request('POST', `workflow/${encodeURIComponent(id)}/rerun`, {
      body: { from_failed: true },
      what: `workflow ${id}`,
    });
  }

  async cancelWorkflow(id: string): Promise<void> {
    await this.request('POST', `workflow/${encodeURIComponent(id)}/cancel`, { what: `workflow ${id}` });
  }

  async approve(workflowId: string, requestId: string): Promise<void> {
    await this.request(
      'POST',
      `workflow/${encodeURIComponent(workflowId)}/approve/${encodeURIComponent(requestId)}`,
      { what: `the approval in workflow ${workflowId}` },
    );
  }

  /** A job's steps from API v1.1; undefined where that API does not exist for the project. */
  jobDetails(slug: string, jobNumber: number): Promise<V1Job> | undefined {
    const base = v1Url(this.o.apiUrl);
    const path = v1JobPath(slug, jobNumber);
    if (!base || !path) return undefined;
    return this.request('GET', path, { what: `job ${jobNumber} of ${slug}`, base });
  }

  /**
   * The text of one step's output. `output_url` is pre-signed and points at storage outside
   * CircleCI's API, so the token is never sent there.
   */
  async stepOutput(url: string): Promise<string> {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('not an http URL');
    const response = await this.fetch(parsed, { signal: AbortSignal.timeout(this.timeoutMs) });
    if (!response.ok) throw new Error(`output answered ${response.status}`);
    const text = await boundedText(response, this.o.maxOutputBytes ?? 4 * 1024 * 1024);
    const lines = JSON.parse(text) as { message?: unknown }[];
    if (!Array.isArray(lines)) throw new Error('output is not a list');
    return lines.map((l) => (typeof l?.message === 'string' ? l.message : '')).join('');
  }

  private async all<T>(path: string, what: string, pages = maxPages): Promise<T[]> {
    const items: T[] = [];
    let token: string | undefined;
    for (let page = 0; page < pages; page++) {
      const query = token ? `?page-token=${encodeURIComponent(token)}` : '';
      const answer = await this.request<Page<T>>('GET', `${path}${query}`, { what });
      items.push(...(answer.items ?? []));
      token = answer.next_page_token ?? undefined;
      if (!token) break;
    }
    return items;
  }

  private async request<T>(
    method: 'GET' | 'POST',
    path: string,
    options: RequestContext & { body?: unknown; base?: string },
  ): Promise<T> {
    if (!this.o.token) throw missingToken();
    const base = options.base ?? this.o.apiUrl;
    let response: Response;
    try {
      response = await this.fetch(`${base}/${path}`, {
        method,
        headers: {
          'Circle-Token': this.o.token,
          Accept: 'application/json',
          ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        // fetch keeps custom headers across redirects, so a redirect would carry the token away.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw unreachable(base, error, this.timeoutMs);
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) throw httpError(response.status, options, text, response.headers.get('retry-after'));
    try {
      return (text ? JSON.parse(text) : {}) as T;
    } catch {
      throw new ProviderError(
        `CircleCI answered ${options.what ?? 'a request'} with something other than JSON: check CIRCLECI_API_URL.`,
        response.status,
      );
    }
  }
}

/** The body as text, refusing bodies larger than `limit` bytes. */
async function boundedText(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > limit) throw new Error('output too large');
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new Error('output too large');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
