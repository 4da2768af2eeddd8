/** Per-run workspaces: a clone of the mirror, checked out detached at one commit. */
import { rm } from 'node:fs/promises';
import type { CommitInfo } from '../../core/pipeline-events.ts';
import { git } from './git.ts';

/** Creates a fresh workspace at `dir` from the mirror, detached at the full SHA `sha`. */
export async function prepareWorkspace(mirrorDir: string, dir: string, sha: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await git(['clone', '--quiet', '--no-checkout', '--', mirrorDir, dir], { timeoutMs: 5 * 60_000 });
  await git(['checkout', '--quiet', '--detach', sha], { cwd: dir, timeoutMs: 5 * 60_000 });
}

/** Sha, subject and author of HEAD in a workspace. */
export async function readCommit(dir: string): Promise<CommitInfo> {
  const out = await git(['log', '-1', '--format=%H%x00%s%x00%an%x00%ae', 'HEAD'], { cwd: dir });
  const [sha = '', message = '', author, authorEmail] = out.replace(/\n$/, '').split('\0');
  return { sha, message, author: author || undefined, authorEmail: authorEmail || undefined };
}

/** Deletes a workspace, ignoring one that is already gone. */
export async function removeWorkspace(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
}
