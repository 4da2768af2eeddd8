/** Runs one step's shell text in its own process group, with a timeout and cancellation. */
import { spawn } from 'node:child_process';

/** How long a process group gets between SIGTERM and SIGKILL. */
export const killGraceMs = 2000;

export interface StepProcessOptions {
  /** Operator-written shell text from the config. */
  command: string;
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  signal: AbortSignal;
  onOutput(chunk: Buffer): void;
}

export interface StepProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  cancelled: boolean;
  /** Set when the shell could not be started at all. */
  spawnError?: string;
}

/** Sends `signal` to every process in the group led by `pid`; false when none is left. */
function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM the group, then SIGKILL whatever is still alive after the grace period. */
function terminateGroup(pid: number): void {
  if (!signalGroup(pid, 'SIGTERM')) return;
  const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), killGraceMs);
  timer.unref();
}

/** Spawns `/bin/sh -c command` detached, streams its output and resolves when the group is done. */
export function runStepProcess(options: StepProcessOptions): Promise<StepProcessResult> {
  return new Promise((resolve) => {
    const result: StepProcessResult = { exitCode: null, signal: null, timedOut: false, cancelled: false };
    if (options.signal.aborted) {
      resolve({ ...result, cancelled: true });
      return;
    }
    const child = spawn('/bin/sh', ['-c', options.command], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = child.pid;
    let stopping = false;
    const stop = () => {
      if (stopping || pid === undefined) return;
      stopping = true;
      terminateGroup(pid);
    };
    const timer = setTimeout(
      () => {
        result.timedOut = true;
        stop();
      },
      Math.max(0, options.timeoutMs),
    );
    const onAbort = () => {
      result.cancelled = true;
      stop();
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    child.stdout?.on('data', (chunk: Buffer) => options.onOutput(chunk));
    child.stderr?.on('data', (chunk: Buffer) => options.onOutput(chunk));
    child.on('exit', (code, signal) => {
      result.exitCode = code;
      result.signal = signal;
      clearTimeout(timer);
      // Background processes the step left behind would hold the pipes open; end them too.
      stop();
    });
    const finish = () => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      resolve(result);
    };
    child.on('close', finish);
    child.on('error', (error) => {
      if (pid !== undefined) return;
      result.spawnError = error.message;
      finish();
    });
  });
}
