/** Runs one runbook action: a local command (execFile, argv only), an HTTP call, or a pipeline. */
import { execFile } from 'node:child_process';
import type { RunbookAction } from '../../config/runbooks.ts';
import { finalStatuses } from '../pipeline-events.ts';
import type { RunService } from '../runs.ts';
import { fill, jsonEscape, type Values, wholeItem } from './templates.ts';

/** What an action came to: success, one line for the card, and its output. */
export interface ActionResult {
  ok: boolean;
  summary: string;
  log: string;
}

/** What actions need from the executor. */
export interface ActionContext {
  values: Values;
  runs: Pick<RunService, 'start' | 'get'>;
  /** The branch a pipeline runs on when the step names none. */
  defaultBranch(pipeline: string): string;
  /** How long a pipeline may take when the step says nothing. */
  pipelineTimeout(pipeline: string): number;
  runLogUrl(runId: number): string;
  requestedBy: string;
  source: { platform: string; channel: string };
  /** Asking again with the same origin finds the same pipeline run. */
  origin: string;
  fetch: typeof fetch;
  /** How often a pipeline's state is read while waiting for its end. */
  pollMs: number;
}

/** Most bytes of output kept per action. */
export const outputLimit = 64 * 1024;

const defaultTimeoutMs = 60_000;

/** The tail of a text, at most `limit` characters, saying what was cut. */
export function bounded(text: string, limit = outputLimit): string {
  if (text.length <= limit) return text;
  return `[… ${text.length - limit} earlier characters cut]\n${text.slice(-limit)}`;
}

/** Variables a command sees: enough to find programs, nothing of deckhand's own secrets. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { PATH, HOME, LANG, TZ } = process.env;
  const base = Object.fromEntries(
    Object.entries({ PATH, HOME, LANG, TZ }).filter((e): e is [string, string] => e[1] !== undefined),
  );
  return { ...base, ...extra };
}

function runCommand(a: NonNullable<RunbookAction['command']>, timeoutMs: number, values: Values) {
  const [file, ...args] = a.argv.map((item) => wholeItem(item, values));
  const env = childEnv(Object.fromEntries(Object.entries(a.env).map(([k, v]) => [k, wholeItem(v, values)])));
  return new Promise<ActionResult>((resolve) => {
    // execFile with an argv array: no shell ever reads these values.
    execFile(
      file as string,
      args,
      { cwd: a.cwd, env, timeout: timeoutMs, maxBuffer: 4 * outputLimit, shell: false, windowsHide: true },
      (error, stdout, stderr) => {
        const log = bounded(`${stdout}${stderr}`);
        if (!error) return resolve({ ok: true, summary: 'exit 0', log });
        const e = error as NodeJS.ErrnoException & {
          killed?: boolean;
          signal?: string;
          code?: number | string;
        };
        const summary =
          e.killed && e.signal
            ? `timed out after ${Math.round(timeoutMs / 1000)}s`
            : typeof e.code === 'number'
              ? `exit ${e.code}`
              : `could not start \`${file}\`: ${e.code ?? e.message}`;
        resolve({ ok: false, summary, log });
      },
    );
  });
}

/** A value inside a URL: encoded, and never a `.` or `..` path segment (which URLs resolve, even encoded). */
function urlPart(value: string): string {
  if (value === '.' || value === '..') throw new Error(`\`${value}\` cannot go into a URL`);
  return encodeURIComponent(value);
}

async function runHttp(
  a: NonNullable<RunbookAction['http']>,
  timeoutMs: number,
  c: ActionContext,
): Promise<ActionResult> {
  const url = fill(a.url, c.values, urlPart);
  const body = a.body === undefined ? undefined : fill(a.body, c.values, jsonEscape);
  const headers: Record<string, string> = { ...a.headers, ...a.secretHeaders };
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
    headers['content-type'] = 'application/json';
  const expected = a.expect === undefined ? undefined : Array.isArray(a.expect) ? a.expect : [a.expect];
  try {
    const response = await c.fetch(url, {
      method: a.method,
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
      // A redirect is an answer, not followed: the secret headers go to the configured URL only.
      redirect: 'manual',
    });
    const text = bounded(await response.text());
    const ok = expected
      ? expected.includes(response.status)
      : response.status >= 200 && response.status < 300;
    const wanted = expected ? expected.join(' or ') : '2xx';
    const summary = `${a.method} ${new URL(url).host} → HTTP ${response.status}${ok ? '' : ` (expected ${wanted})`}`;
    return { ok, summary, log: text };
  } catch (error) {
    const e = error as Error;
    const why = e.name === 'TimeoutError' ? `timed out after ${Math.round(timeoutMs / 1000)}s` : e.message;
    return { ok: false, summary: `${a.method} ${new URL(url).host} failed: ${why}`, log: '' };
  }
}

async function runPipeline(
  a: NonNullable<RunbookAction['pipeline']>,
  timeoutMs: number | undefined,
  c: ActionContext,
): Promise<ActionResult> {
  const ref = a.ref ?? c.defaultBranch(a.name);
  const limit = timeoutMs ?? c.pipelineTimeout(a.name);
  let run = await c.runs.start({
    kind: 'build',
    pipeline: a.name,
    ref,
    requestedBy: c.requestedBy,
    source: c.source,
    origin: c.origin,
  });
  const deadline = Date.now() + limit;
  while (!finalStatuses.has(run.status)) {
    if (Date.now() > deadline)
      return {
        ok: false,
        summary: `run #${run.id} (${a.name}) still ${run.status} after ${Math.round(limit / 1000)}s`,
        log: c.runLogUrl(run.id),
      };
    await new Promise((resolve) => setTimeout(resolve, c.pollMs));
    run = (await c.runs.get(run.id)) ?? run;
  }
  const reason = run.reason ? `: ${run.reason}` : '';
  return {
    ok: run.status === 'succeeded',
    summary: `run #${run.id} (${a.name} at ${ref}) ${run.status}${run.status === 'succeeded' ? '' : reason}`,
    log: `Pipeline run #${run.id}: ${c.runLogUrl(run.id)}`,
  };
}

/** Runs an action to its end; never throws for what the action itself did. */
export async function runAction(a: RunbookAction, c: ActionContext): Promise<ActionResult> {
  try {
    if (a.command) return await runCommand(a.command, a.timeout ?? defaultTimeoutMs, c.values);
    if (a.http) return await runHttp(a.http, a.timeout ?? defaultTimeoutMs, c);
    if (a.pipeline) return await runPipeline(a.pipeline, a.timeout, c);
    return { ok: false, summary: 'nothing to run', log: '' };
  } catch (error) {
    return { ok: false, summary: `could not run: ${(error as Error).message}`, log: '' };
  }
}
