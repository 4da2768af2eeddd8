/**
 * What API v2 cannot say about a failed job: which step failed, its output, and the commit author.
 * Only API v1.1 lists a job's steps; each step's output sits behind a pre-signed `output_url`
 * holding JSON `[{message, time, type}]`. Neither is in CircleCI's v2 reference, so every caller
 * treats a failure here as "not known" and falls back to a link.
 * https://circleci.com/docs/api/v1/#single-job
 */
import type { CommitInfo } from '../../core/pipeline-events.ts';
import type { V1Job } from './api-types.ts';
import type { CircleciClient } from './client.ts';

/** A failed job's details, each part optional. */
export interface JobFailure {
  /** The name of the step that failed, e.g. `Run tests`. */
  step?: string;
  /** Where that step's output is. */
  outputUrl?: string;
  commit?: CommitInfo;
  /** The job's page on the old web UI. */
  buildUrl?: string;
}

/** Reads the job from API v1.1; undefined when the project has no such API or it fails. */
export async function jobFailure(
  client: CircleciClient,
  slug: string,
  jobNumber: number,
): Promise<JobFailure | undefined> {
  const pending = client.jobDetails(slug, jobNumber);
  if (!pending) return undefined;
  const job = await pending.catch(() => undefined);
  return job ? failureOf(job) : undefined;
}

/** The failed step of a v1.1 job (the last one with a failed action), its output and the commit. */
export function failureOf(job: V1Job): JobFailure {
  const failure: JobFailure = { buildUrl: job.build_url };
  const steps = job.steps ?? [];
  for (let i = steps.length - 1; i >= 0; i--) {
    const action = steps[i]?.actions?.find(
      (a) => a.status === 'failed' || a.status === 'timedout' || a.failed === true,
    );
    if (action) {
      failure.step = steps[i]?.name ?? action.name;
      if (action.output_url && action.has_output !== false) failure.outputUrl = action.output_url;
      break;
    }
  }
  if (job.vcs_revision) {
    failure.commit = {
      sha: job.vcs_revision,
      message: job.subject ?? '',
      author: job.author_name || undefined,
      authorEmail: job.author_email || undefined,
    };
  }
  return failure;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal colour codes start with ESC.
const ansi = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;

/** A step's raw output as plain lines: colour codes gone, progress-bar rewrites (`\r`) collapsed. */
export function plainLog(output: string): string {
  return output
    .replace(ansi, '')
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => line.split('\r').at(-1) ?? '')
    .join('\n')
    .replace(/\n+$/, '');
}
