/** Turns what went wrong talking to GitHub into one sentence for the person in chat. */
import { STATUS_CODES } from 'node:http';
import { ProviderError } from '../../core/errors.ts';

/** What a call was about, for the sentence: "for workflow build.yml in org/app", "check the workflow file name". */
export interface CallContext {
  what: string;
  /** What a 404 suggests checking, e.g. "the workflow file name". */
  check: string;
  /** What a 409 or 422 suggests checking, when it differs from `check`. */
  invalid?: string;
}

/** How the client reaches GitHub, for "check …" advice. */
export interface ConnectionNames {
  apiUrl: string;
  apiUrlName: string;
  /** The credentials in use, e.g. `GITHUB_TOKEN`. */
  credentials: string;
  /** Whose access a 403 or 404 questions, e.g. `GITHUB_TOKEN` or `the GitHub App`. */
  holder: string;
}

interface HttpFailure {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
  cause?: unknown;
}

/** Codes of failures to reach a server (DNS, TCP, TLS), as Node and undici name them. */
const networkCodes =
  /^(E(CONN|HOST|NET|AI_|NOTFOUND|TIMEDOUT|PIPE|PROTO)[A-Z_]*|UND_ERR_[A-Z_]+|CERT_[A-Z_]+|[A-Z_]*SELF_SIGNED[A-Z_]*|UNABLE_TO_[A-Z_]+)$/;

/** The network error code (`ECONNREFUSED`…) hidden in fetch's `cause` chain, if any. */
function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && networkCodes.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  const text = error instanceof Error ? error.message : '';
  return text.split(/[^A-Z_]+/).find((word) => word.length > 3 && networkCodes.test(word));
}

/** GitHub's own explanation from an error body, short and without the documentation link. */
function githubMessage(failure: HttpFailure): string | undefined {
  const data = failure.response?.data as { message?: unknown; errors?: unknown } | undefined;
  const message = typeof data?.message === 'string' ? data.message : undefined;
  return message?.replace(/\s+/g, ' ').trim().slice(0, 200) || undefined;
}

/** A ProviderError for any failure of a GitHub call; never includes a credential. */
export function providerError(error: unknown, call: CallContext, names: ConnectionNames): ProviderError {
  if (error instanceof ProviderError) return error;
  const failure = (error ?? {}) as HttpFailure;
  const status = typeof failure.status === 'number' ? failure.status : undefined;
  // @octokit/request reports a network failure as status 500 without a response.
  if (!failure.response) {
    const code = networkCode(error);
    if (code || status === 500) {
      return new ProviderError(
        `Could not reach GitHub at ${names.apiUrl} (${code ?? 'no answer'}): check ${names.apiUrlName}.`,
      );
    }
    // No answer and no network error: signing the request failed (e.g. an unreadable App key).
    const reason = error instanceof Error ? error.message.slice(0, 200) : String(error);
    return new ProviderError(`Could not sign the request to GitHub (${reason}): check ${names.credentials}.`);
  }
  const head = `GitHub answered ${status} ${STATUS_CODES[status ?? 0] ?? 'Error'}`;
  const headers = failure.response.headers ?? {};
  if ((status === 403 || status === 429) && (headers['x-ratelimit-remaining'] === '0' || status === 429)) {
    const reset = Number(headers['x-ratelimit-reset']);
    const until =
      Number.isFinite(reset) && reset > 0
        ? ` until ${new Date(reset * 1000).toISOString().slice(11, 16)} UTC`
        : '';
    return new ProviderError(`${head} (API rate limit exceeded${until}): try again later.`, status);
  }
  const said = githubMessage(failure);
  switch (status) {
    case 401:
      return new ProviderError(`${head}: check ${names.credentials}.`, status);
    case 403:
      return new ProviderError(
        `${head} for ${call.what}${said ? ` (${said})` : ''}: check ${names.holder}'s permissions.`,
        status,
      );
    case 404:
      return new ProviderError(
        `${head} for ${call.what}: check ${call.check} and ${names.holder}'s access.`,
        status,
      );
    case 409:
    case 422:
      return new ProviderError(
        `${head} for ${call.what}${said ? ` (${said})` : ''}: check ${call.invalid ?? call.check}.`,
        status,
      );
    default:
      return new ProviderError(`${head} for ${call.what}: try again in a moment.`, status);
  }
}
