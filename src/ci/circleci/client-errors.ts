/** The sentences a person in chat reads when CircleCI refuses or cannot be reached. Never a token. */
import { STATUS_CODES } from 'node:http';
import { ProviderError } from '../../core/errors.ts';

/** What a request was about, to name it and say what to check. */
export interface RequestContext {
  /** e.g. `project gh/org/app`, `workflow 5f0…`. */
  what?: string;
  /** What to check on a 400/422 (a bad request: usually the parameters). */
  badRequest?: string;
  /** What to check on a 404 (CircleCI answers 404 for projects the token cannot see, too). */
  notFound?: string;
}

/** CircleCI's `{ "message": … }`, cut short and on one line, when the body has one. */
export function circleciMessage(body: string): string | undefined {
  try {
    const message = (JSON.parse(body) as { message?: unknown })?.message;
    if (typeof message !== 'string' || !message.trim()) return undefined;
    const line = message.replace(/\s+/g, ' ').trim();
    return line.length > 200 ? `${line.slice(0, 199)}…` : line;
  } catch {
    return undefined;
  }
}

/** One sentence for an HTTP error answer, e.g. `CircleCI answered 401 Unauthorized: check CIRCLECI_TOKEN.` */
export function httpError(
  status: number,
  context: RequestContext,
  body = '',
  retryAfter?: string | null,
): ProviderError {
  const head = `CircleCI answered ${status} ${STATUS_CODES[status] ?? 'Error'}`;
  const about = context.what ? ` for ${context.what}` : '';
  const said = circleciMessage(body);
  const quoted = said ? ` ("${said}")` : '';
  let sentence: string;
  if (status === 401) sentence = `${head}: check CIRCLECI_TOKEN.`;
  else if (status === 403) sentence = `${head}${about}: check that CIRCLECI_TOKEN's user may use it.`;
  else if (status === 404)
    sentence = `${head}${about}${quoted}: ${context.notFound ?? "check the project slug under repositories and CIRCLECI_TOKEN's access"}.`;
  else if (status === 400 || status === 422)
    sentence = `${head}${about}${quoted}: ${context.badRequest ?? 'check the request deckhand was asked to make'}.`;
  else if (status === 429) {
    const seconds = Number(retryAfter);
    const wait = Number.isFinite(seconds) && seconds > 0 ? `in ${Math.ceil(seconds)} seconds` : 'in a minute';
    sentence = `${head}: too many requests, try again ${wait}.`;
  } else if (status >= 500) sentence = `${head}${about}: CircleCI had a problem, try again shortly.`;
  else sentence = `${head}${about}${quoted}: check CIRCLECI_API_URL.`;
  return new ProviderError(sentence, status);
}

/** One sentence for a request that got no answer (refused, unknown host, timed out). */
export function unreachable(apiUrl: string, error: unknown, timeoutMs: number): ProviderError {
  return new ProviderError(
    `Could not reach CircleCI at ${apiUrl} (${why(error, timeoutMs)}): check CIRCLECI_API_URL.`,
  );
}

function why(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; code?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError')
    return `no answer within ${Math.round(timeoutMs / 1000)} s`;
  const code = e?.cause?.code ?? e?.code;
  if (code?.startsWith('UND_ERR_')) return undici[code] ?? 'connection failed';
  return code ?? e?.cause?.message ?? 'no answer';
}

/** fetch's own codes, in words (system codes such as ECONNREFUSED are kept as they are). */
const undici: Record<string, string> = {
  UND_ERR_SOCKET: 'connection closed',
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
  UND_ERR_HEADERS_TIMEOUT: 'no answer in time',
  UND_ERR_BODY_TIMEOUT: 'no answer in time',
};

/** A token must be set before deckhand can call the API. */
export function missingToken(): ProviderError {
  return new ProviderError('CircleCI has no API token: set CIRCLECI_TOKEN (a personal API token).');
}
