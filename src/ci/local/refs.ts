/** Reads branches and resolves user refs in a git directory, guarding every user value. */
import { refNameProblem } from '../../core/refs.ts';
import { git } from './git.ts';

const shaLike = /^[0-9a-f]{4,40}$/i;

/** Why `ref` cannot be looked up at all, or undefined when it may be tried. */
export function refProblem(ref: string): string | undefined {
  if (ref.startsWith('-')) return 'it starts with "-"';
  if (shaLike.test(ref)) return undefined;
  return refNameProblem(ref);
}

/** The commit a revision names, or undefined. `rev` is always a full ref or a SHA. */
async function commitOf(gitDir: string, rev: string): Promise<string | undefined> {
  try {
    const out = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], {
      cwd: gitDir,
    });
    return out.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Resolves a branch, tag or commit SHA (in that order) to a full commit SHA. */
export async function resolveRef(gitDir: string, ref: string): Promise<string | undefined> {
  if (refProblem(ref) !== undefined) return undefined;
  if (refNameProblem(ref) === undefined) {
    for (const full of [`refs/heads/${ref}`, `refs/tags/${ref}`]) {
      const sha = await commitOf(gitDir, full);
      if (sha) return sha;
    }
  }
  return shaLike.test(ref) ? commitOf(gitDir, ref) : undefined;
}

/** Branch names under refs/heads, the default branch first, the rest sorted. */
export async function branchNames(gitDir: string, defaultBranch: string): Promise<string[]> {
  const out = await git(['for-each-ref', '--format=%(refname)', 'refs/heads/'], { cwd: gitDir });
  const names = out
    .split('\n')
    .filter((line) => line.startsWith('refs/heads/'))
    .map((line) => line.slice('refs/heads/'.length));
  return names.sort((a, b) => {
    if (a === defaultBranch) return -1;
    if (b === defaultBranch) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}
