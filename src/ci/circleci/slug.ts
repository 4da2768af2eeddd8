/**
 * CircleCI project slugs: `gh/org/app` (or `github/org/app`, `bb/…`, `bitbucket/…`) for GitHub OAuth
 * and Bitbucket Cloud projects, `circleci/<org-id>/<project-id>` for GitHub App and GitLab ones.
 * https://circleci.com/docs/api-developers-guide/#getting-started-with-the-api
 */

const longNames: Record<string, string> = { gh: 'github', bb: 'bitbucket' };

/** `gh/org/app` → `github/org/app`: the form webhooks and the web app use. */
export function longSlug(slug: string): string {
  const [vcs = '', ...rest] = slug.split('/');
  return [longNames[vcs.toLowerCase()] ?? vcs, ...rest].join('/');
}

/**
 * Whether two slugs name the same project. Webhooks send `github/org/app` for a project configured
 * as `gh/org/app`, and GitHub org and repository names are case-insensitive.
 */
export function sameProject(a: string, b: string): boolean {
  return longSlug(a).toLowerCase() === longSlug(b).toLowerCase();
}

/** The slug as URL path segments, each one encoded (user-visible names never reach a URL raw). */
export function slugPath(slug: string): string {
  return slug.split('/').map(encodeURIComponent).join('/');
}

/**
 * The API v1.1 path of a job (`project/github/org/app/136`), the only API that lists a job's steps
 * and their output. Projects with a `circleci/…` slug (GitHub App, GitLab) have no v1.1 API.
 */
export function v1JobPath(slug: string, jobNumber: number): string | undefined {
  const parts = longSlug(slug).split('/');
  if (parts.length !== 3 || !['github', 'bitbucket'].includes(parts[0]?.toLowerCase() ?? ''))
    return undefined;
  return `project/${parts.map(encodeURIComponent).join('/')}/${encodeURIComponent(String(jobNumber))}`;
}

/**
 * Where people watch a pipeline: `https://app.circleci.com/pipelines/github/org/app/130`.
 * The web app lives on `app.circleci.com` for the cloud; CircleCI server and test fakes serve it
 * from the API's own host, so other API hosts keep their origin (a best effort without a setting).
 */
export function pipelineUrl(apiUrl: string, slug: string, number: number): string {
  return `${appOrigin(apiUrl)}/pipelines/${slugPath(longSlug(slug))}/${number}`;
}

/** A job's page: `<pipeline url>/workflows/<workflow id>/jobs/<job number>`. */
export function jobUrl(pipeline: string, workflowId: string, jobNumber: number): string {
  return `${pipeline}/workflows/${encodeURIComponent(workflowId)}/jobs/${jobNumber}`;
}

function appOrigin(apiUrl: string): string {
  try {
    const url = new URL(apiUrl);
    if (url.hostname === 'circleci.com' || url.hostname.endsWith('.circleci.com'))
      return 'https://app.circleci.com';
    return url.origin;
  } catch {
    return 'https://app.circleci.com';
  }
}
