/**
 * GitLab's failures as one sentence for the person in chat: what answered and what to check.
 * Error bodies are `{"message": "404 Project Not Found"}` or, for validation errors,
 * `{"message": {"base": ["Reference not found"]}}` (https://docs.gitlab.com/api/rest/troubleshooting/).
 */
import { GitbeakerRequestError, GitbeakerRetryError, GitbeakerTimeoutError } from '@gitbeaker/rest';
import { ProviderError } from '../../core/errors.ts';
import { displayUrl } from './settings.ts';

/** What a failed call was doing, for the sentence. */
export interface CallContext {
  /** Instance URL (shown without credentials). */
  url: string;
  /** e.g. `for project group/app` or `creating a pipeline for group/app at main`. */
  what?: string;
  /** What to check when GitLab refuses (overrides the default for 400/404). */
  hint?: string;
  /** The client's timeout, for the sentence. */
  timeoutMs?: number;
}

const reasons: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** The HTTP status of a GitLab answer, when the error carries one. */
export function statusOf(error: unknown): number | undefined {
  if (error instanceof ProviderError) return error.status;
  if (!(error instanceof GitbeakerRequestError)) return undefined;
  const response = (error.cause as { response?: { status?: number } } | undefined)?.response;
  return typeof response?.status === 'number' ? response.status : undefined;
}

/** `{"base":["Reference not found"]}` → `Reference not found`; long or multi-line text shortened. */
function flatten(text: string): string {
  let value: unknown = text;
  try {
    value = JSON.parse(text);
  } catch {
    // plain text
  }
  const parts: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') parts.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return parts
    .join('; ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.\s]+$/, '')
    .slice(0, 200);
}

function networkCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown; errors?: { code?: unknown }[] } } | undefined)?.cause;
  const code = cause?.code ?? cause?.errors?.[0]?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Turns anything a GitLab call threw into a ProviderError with one sentence (never a token). */
export function gitlabError(error: unknown, ctx: CallContext): ProviderError {
  if (error instanceof ProviderError) return error;
  const where = displayUrl(ctx.url);
  if (error instanceof GitbeakerTimeoutError || (error as Error)?.name === 'TimeoutError') {
    const secs = ctx.timeoutMs ? ` within ${Math.round(ctx.timeoutMs / 1000)} s` : '';
    return new ProviderError(`GitLab at ${where} did not answer${secs}: check GITLAB_URL and the network.`);
  }
  if (error instanceof GitbeakerRetryError) {
    const status = /last status code: (\d+)/.exec(error.message)?.[1] ?? '429';
    return new ProviderError(
      `GitLab at ${where} kept answering ${status} ${reasons[Number(status)] ?? ''}`.trimEnd() +
        ': try again in a minute.',
      Number(status),
    );
  }
  const status = statusOf(error);
  if (status === undefined) {
    const code = networkCode(error);
    if (code || (error instanceof TypeError && /fetch failed/i.test(error.message))) {
      return new ProviderError(
        `Could not reach GitLab at ${where} (${code ?? 'network error'}): check GITLAB_URL.`,
      );
    }
    const detail = flatten(error instanceof Error ? error.message : String(error)) || 'unknown error';
    return new ProviderError(`GitLab at ${where} failed (${detail}): check GITLAB_URL.`);
  }
  const raw = (error as Error).message ?? '';
  // An HTML page (a proxy, a login page, the wrong address) is not GitLab's API answering.
  if (/^\s*</.test(raw)) {
    return new ProviderError(
      `${where} answered ${status} ${reasons[status] ?? 'Error'} with a web page, not GitLab's API: check GITLAB_URL.`,
      status,
    );
  }
  const description = flatten(raw);
  // GitLab's own line ("404 Project Not Found", "400 Bad request - Unplayable Job") when it has one.
  const own = /^(\d{3}) ([^-;]+?)(?: - (.*))?$/.exec(description);
  const line = own ? `${own[1]} ${own[2]}` : `${status} ${reasons[status] ?? 'Error'}`;
  const detail = own ? own[3] : description || undefined;
  if (status === 401) return new ProviderError(`GitLab answered ${line}: check GITLAB_TOKEN.`, status);
  const hint =
    status === 403
      ? 'that GITLAB_TOKEN has the api scope and at least the Developer role (Maintainer for protected branches and environments)'
      : status === 429
        ? "GitLab's rate limits, and try again in a minute"
        : status >= 500
          ? `that GitLab at ${where} is healthy`
          : (ctx.hint ??
            (status === 404
              ? "the project path under repositories and GITLAB_TOKEN's access"
              : '.gitlab-ci.yml'));
  const what = ctx.what ? ` ${ctx.what}` : '';
  return new ProviderError(
    `GitLab answered ${line}${what}${detail ? ` (${detail})` : ''}: check ${hint}.`,
    status,
  );
}
