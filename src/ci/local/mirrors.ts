/** Bare mirrors of the configured repositories: cloned on first use, fetched when stale. */
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { RepositoryConfig } from '../../config/schema.ts';
import { seedDemoRepo } from './demo-repo.ts';
import { git } from './git.ts';

const networkTimeoutMs = 5 * 60_000;

/** Keeps one bare mirror per repository under `<root>/<name>.git`. */
export class MirrorStore {
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly fetchedAt = new Map<string, number>();

  constructor(
    private readonly root: string,
    private readonly repositories: Record<string, RepositoryConfig>,
  ) {}

  /** Absolute path of a repository's mirror. */
  dir(name: string): string {
    return path.join(this.root, `${name}.git`);
  }

  /** Makes sure the mirror exists and was fetched within `maxAgeMs`; returns its path. */
  update(name: string, maxAgeMs = 0): Promise<string> {
    return this.serial(name, async () => {
      const repo = this.repositories[name];
      if (!repo) throw new Error(`unknown repository "${name}"`);
      const dir = this.dir(name);
      if (repo.seedDemo && !existsSync(repo.url)) await seedDemoRepo(repo.url);
      if (!existsSync(dir)) {
        await this.cloneMirror(repo.url, dir);
      } else if (Date.now() - (this.fetchedAt.get(name) ?? 0) >= maxAgeMs) {
        await git(['fetch', '--prune', '--quiet', 'origin'], { cwd: dir, timeoutMs: networkTimeoutMs });
      } else {
        return dir;
      }
      this.fetchedAt.set(name, Date.now());
      return dir;
    });
  }

  private async cloneMirror(url: string, dir: string): Promise<void> {
    await mkdir(this.root, { recursive: true });
    const partial = `${dir}.partial-${process.pid}`;
    await rm(partial, { recursive: true, force: true });
    try {
      await git(['clone', '--mirror', '--quiet', '--', url, partial], { timeoutMs: networkTimeoutMs });
      await rename(partial, dir);
    } catch (error) {
      await rm(partial, { recursive: true, force: true });
      throw error;
    }
  }

  /** Runs `task` after any earlier task for the same repository has settled. */
  private serial<T>(name: string, task: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(name) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.catch(() => undefined);
    this.locks.set(name, settled);
    void settled.then(() => {
      if (this.locks.get(name) === settled) this.locks.delete(name);
    });
    return next;
  }
}
