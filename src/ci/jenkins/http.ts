/**
 * Authenticated HTTP to Jenkins with plain `fetch`. Basic auth with a user's API token needs no
 * CSRF crumb (https://www.jenkins.io/doc/book/security/csrf-protection/); every failure becomes one
 * `ProviderError` sentence that never carries a secret.
 */
import { STATUS_CODES } from 'node:http';
import { ProviderError } from '../../core/errors.ts';
import { displayUrl, type JenkinsSettings } from './settings.ts';

/** What a request is about, for the error sentence: e.g. `job folder/app`. */
export interface RequestContext {
  what?: string;
  /** What to check when Jenkins answers 404 (default: the job path). */
  on404?: string;
  /** What to check when Jenkins answers 400. */
  on400?: string;
}

/** Options for {@link JenkinsHttp}: settings, and an injectable `fetch` for tests. */
export interface JenkinsHttpOptions {
  settings: JenkinsSettings;
  fetch?: typeof fetch;
  /** Per-request deadline (default 15 s). */
  timeoutMs?: number;
}

/** A response that was 2xx (or 3xx for a POST, which Jenkins answers with redirects). */
export interface JenkinsResponse {
  status: number;
  headers: Headers;
  text(): Promise<string>;
  body: ReadableStream<Uint8Array> | null;
}

/** Basic-authenticated requests under JENKINS_URL, with failures as one-sentence errors. */
export class JenkinsHttp {
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(private readonly o: JenkinsHttpOptions) {
    this.fetch = o.fetch ?? globalThis.fetch;
    this.timeoutMs = o.timeoutMs ?? 15_000;
  }

  /** The configured base URL; a one-sentence error when JENKINS_URL is missing or invalid. */
  base(): string {
    const url = this.o.settings.url;
    if (!url)
      throw new ProviderError('Jenkins is not configured: set JENKINS_URL (or providers.jenkins.url).');
    try {
      new URL(url);
    } catch {
      throw new ProviderError('JENKINS_URL is not a valid URL: write it like https://ci.example.com.');
    }
    return url;
  }

  /** GET a path under the base URL, parsed as JSON. */
  async json<T>(path: string, ctx: RequestContext = {}): Promise<T> {
    const res = await this.request('GET', path, undefined, ctx);
    const text = await res.text();
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ProviderError(
        `Jenkins answered with something that is not JSON${ctx.what ? ` for ${ctx.what}` : ''}: check that JENKINS_URL points at Jenkins itself.`,
      );
    }
  }

  /** GET a path under the base URL. */
  get(path: string, ctx: RequestContext = {}): Promise<JenkinsResponse> {
    return this.request('GET', path, undefined, ctx);
  }

  /** POST a form (or nothing) to a path under the base URL; redirects count as success. */
  post(path: string, form: URLSearchParams | undefined, ctx: RequestContext = {}): Promise<JenkinsResponse> {
    return this.request('POST', path, form, ctx);
  }

  private authorization(): string {
    const { user, token } = this.o.settings;
    if (!user || !token) {
      throw new ProviderError('Jenkins credentials are missing: set JENKINS_USER and JENKINS_TOKEN.');
    }
    return `Basic ${Buffer.from(`${user}:${token}`).toString('base64')}`;
  }

  private async request(
    method: 'GET' | 'POST',
    path: string,
    form: URLSearchParams | undefined,
    ctx: RequestContext,
  ): Promise<JenkinsResponse> {
    const base = this.base();
    const headers: Record<string, string> = {
      authorization: this.authorization(),
      accept: 'application/json',
    };
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    let res: Response;
    try {
      res = await this.fetch(`${base}${path}`, {
        method,
        headers,
        body: form?.toString(),
        redirect: method === 'POST' ? 'manual' : 'follow',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw this.unreachable(error);
    }
    const ok = res.ok || (method === 'POST' && res.status >= 300 && res.status < 400);
    if (!ok) {
      await res.body?.cancel().catch(() => undefined);
      throw refusal(res.status, ctx);
    }
    return res;
  }

  private unreachable(error: unknown): ProviderError {
    const where = displayUrl(this.base());
    const err = error as {
      name?: string;
      message?: string;
      cause?: { code?: string; name?: string; message?: string };
    };
    if (err?.name === 'TimeoutError' || err?.cause?.name === 'TimeoutError') {
      return new ProviderError(
        `Jenkins at ${where} did not answer within ${seconds(this.timeoutMs)}: check JENKINS_URL and whether Jenkins is overloaded.`,
      );
    }
    const code = err?.cause?.code ?? err?.cause?.message ?? err?.message ?? 'no answer';
    return new ProviderError(`Could not reach Jenkins at ${where} (${code}): check JENKINS_URL.`);
  }
}

const seconds = (ms: number) => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);

/** The sentence for a Jenkins answer that is not a success. */
export function refusal(status: number, ctx: RequestContext): ProviderError {
  const answered = `Jenkins answered ${status} ${STATUS_CODES[status] ?? 'Error'}`;
  const about = ctx.what ? ` for ${ctx.what}` : '';
  if (status === 401) return new ProviderError(`${answered}: check JENKINS_USER and JENKINS_TOKEN.`, status);
  if (status === 403) {
    return new ProviderError(
      `${answered}${about}: check that JENKINS_USER may read and build it, and that JENKINS_TOKEN is an API token (not a password).`,
      status,
    );
  }
  if (status === 404) {
    return new ProviderError(
      `${answered}${about}: ${ctx.on404 ?? 'check the job path (folders are written folder/app)'}.`,
      status,
    );
  }
  if (status === 400 && ctx.on400) return new ProviderError(`${answered}${about}: ${ctx.on400}.`, status);
  if (status >= 500) {
    return new ProviderError(
      `${answered}${about}: try again shortly, or check that Jenkins is healthy.`,
      status,
    );
  }
  return new ProviderError(`${answered}${about}: check the Jenkins system log.`, status);
}
