/**
 * Jenkins item paths. A job's full name is its item names joined by `/` (`folder/app`,
 * `folder/multi/feature%2Fx`); in a URL each name becomes `job/<name>` with the name
 * percent-encoded once more (https://www.jenkins.io/doc/book/using/remote-access-api/).
 */

/**
 * A multibranch project names each branch job with the Branch API's NameEncoder, which escapes
 * only `# % / ? [ ] \` (so `feature/x` is the item `feature%2Fx`, and `feature%252Fx` in a URL).
 * https://github.com/jenkinsci/branch-api-plugin/blob/master/src/main/java/jenkins/branch/NameEncoder.java
 */
const escapes: Record<string, string> = {
  '#': '%23',
  '%': '%25',
  '/': '%2F',
  '?': '%3F',
  '[': '%5B',
  ']': '%5D',
  '\\': '%5C',
};
const unescapes = Object.fromEntries(Object.entries(escapes).map(([c, e]) => [e, c]));

/** The item name of a branch inside a multibranch project. */
export function branchItemName(branch: string): string {
  if (branch === '') return '%00';
  if (branch === '.') return '%2E';
  if (branch === '..') return '%2E.';
  return [...branch].map((c) => escapes[c] ?? c).join('');
}

/** The branch a multibranch item name stands for (the inverse of {@link branchItemName}). */
export function branchOfItemName(name: string): string {
  if (name === '%00') return '';
  if (name === '%2E') return '.';
  if (name === '%2E.') return '..';
  return name.replace(/%(23|25|2F|3F|5B|5D|5C)/g, (m) => unescapes[m] ?? m);
}

/** Item names of a configured job path (`folder/app` → `['folder', 'app']`). */
export function jobItems(fullName: string): string[] {
  return fullName.split('/').filter((s) => s.length > 0);
}

/** The URL path of a job, every item name encoded as one path segment: `/job/folder/job/app`. */
export function jobUrlPath(fullName: string): string {
  return jobItems(fullName)
    .map((name) => `/job/${encodeURIComponent(name)}`)
    .join('');
}

/** The full name of the job a Jenkins URL points into (`…/job/a/job/b/12/` → `a/b`). */
export function fullNameFromUrl(url: string): string | undefined {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // A relative URL such as the Notification plugin's `job/a/job/b/`.
  }
  const segments = path.split('/').filter((s) => s.length > 0);
  const names: string[] = [];
  for (let i = 0; i < segments.length - 1; i++) {
    if (segments[i] !== 'job') continue;
    try {
      names.push(decodeURIComponent(segments[i + 1] as string));
    } catch {
      return undefined;
    }
    i++;
  }
  return names.length > 0 ? names.join('/') : undefined;
}

/** The job that contains `fullName` (`a/b/c` → `a/b`). */
export function parentOf(fullName: string): string | undefined {
  const items = jobItems(fullName);
  return items.length > 1 ? items.slice(0, -1).join('/') : undefined;
}

/** The last item name of a job path. */
export function leafOf(fullName: string): string {
  return jobItems(fullName).at(-1) ?? fullName;
}

/** deckhand's id for a build: `<job full name>#<number>` (Jenkins names cannot contain `#`). */
export function buildId(fullName: string, number: number): string {
  return `${fullName}#${number}`;
}

/** The job and build number of an id made by {@link buildId}; undefined for anything else. */
export function parseBuildId(id: string): { job: string; number: number } | undefined {
  const at = id.lastIndexOf('#');
  if (at <= 0) return undefined;
  const number = Number(id.slice(at + 1));
  if (!Number.isInteger(number) || number <= 0) return undefined;
  return { job: id.slice(0, at), number };
}
