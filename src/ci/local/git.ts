/** Runs git through execFile with argv arrays: never a shell, never user text in a command string. */
import { execFile } from 'node:child_process';

/** Variables that would point git at another repository than the one we name. */
const repoLocalVars = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_PREFIX',
  'GIT_NAMESPACE',
  'GIT_CONFIG',
  'GIT_CONFIG_PARAMETERS',
  'GIT_CONFIG_COUNT',
  'GIT_GRAFT_FILE',
  'GIT_IMPLICIT_WORK_TREE',
  'GIT_SHALLOW_FILE',
  'GIT_REPLACE_REF_BASE',
  'GIT_NO_REPLACE_OBJECTS',
];

/** A failed git command, with git's own first line of complaint. */
export class GitError extends Error {
  constructor(
    readonly args: string[],
    readonly stderr: string,
    readonly code: number | string | null,
  ) {
    const first = stderr.split('\n').find((line) => line.trim() !== '') ?? `exit code ${code}`;
    super(first.replace(/^(fatal|error): /, '').trim());
    this.name = 'GitError';
  }
}

export interface GitOptions {
  cwd?: string;
  timeoutMs?: number;
  /** Extra variables on top of deckhand's environment. */
  env?: Record<string, string>;
}

/** The environment for git: ours without repository overrides, and never a credential prompt. */
export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of repoLocalVars) delete env[name];
  return { ...env, GIT_TERMINAL_PROMPT: '0', ...extra };
}

/** Runs `git ...args` and resolves with its stdout. */
export function git(args: string[], options: GitOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd: options.cwd,
        env: gitEnv(options.env),
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 32 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error) {
          const code = (error as NodeJS.ErrnoException & { code?: number | string }).code ?? null;
          reject(new GitError(args, String(stderr || error.message), code));
        } else {
          resolve(String(stdout));
        }
      },
    );
  });
}
