/** The commits between two refs of a mirror, for approvals: `git log from..to`, refs checked first. */
import type { Comparison } from '../../core/ports.ts';
import { git } from './git.ts';

/** Commits listed; the total counts the whole range. */
export const compareLimit = 20;

/**
 * Commits in `fromSha..toSha`, newest first. Both are full SHAs already resolved with
 * `rev-parse --verify` (see refs.ts), so no user text reaches `git log`.
 */
export async function compareCommits(gitDir: string, fromSha: string, toSha: string): Promise<Comparison> {
  const range = `${fromSha}..${toSha}`;
  // -z ends each commit with NUL; %x00 separates the fields (git forbids NUL in messages).
  const out = await git(
    ['log', '-z', `--max-count=${compareLimit}`, '--format=%H%x00%an%x00%B', '--end-of-options', range],
    { cwd: gitDir },
  );
  const fields = out.split('\0');
  const commits: Comparison['commits'] = [];
  for (let i = 0; i + 2 < fields.length; i += 3) {
    const sha = (fields[i] ?? '').replace(/^\n/, '');
    const author = fields[i + 1] ?? '';
    const message = (fields[i + 2] ?? '').split('\n')[0]?.trim() ?? '';
    commits.push(author ? { sha, message, author } : { sha, message });
  }
  const count = await git(['rev-list', '--count', '--end-of-options', range], { cwd: gitDir });
  const total = Number.parseInt(count.trim(), 10);
  return { commits, total: Number.isFinite(total) ? total : commits.length };
}
