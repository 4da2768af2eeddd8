/**
 * Servers under load run in a child process of their own, so the load generator (this process)
 * and the server each get a core, and a baseline and deckhand are measured alike.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ChildServer {
  url: string;
  child: ChildProcess;
  /** Asks the server something over IPC (e.g. `{ type: 'rss' }`) and waits for its answer. */
  ask<T = unknown>(message: { type: string; [k: string]: unknown }): Promise<T>;
  stop(): Promise<void>;
}

/** Starts `bench/servers/<name>.ts` with `options`, waits for `{ type: 'listening', port }`. */
export async function startServer(name: string, options: object = {}): Promise<ChildServer> {
  const file = fileURLToPath(new URL(`../servers/${name}.ts`, import.meta.url));
  const child = fork(file, [], {
    // BENCH_PROF=<dir> writes a CPU profile of each server there, for finding where time goes.
    execArgv: [
      '--import',
      'tsx',
      ...(process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []),
      ...(process.env.BENCH_PRELOAD ? ['--import', process.env.BENCH_PRELOAD] : []),
    ],
    env: { ...process.env, BENCH_SERVER_OPTIONS: JSON.stringify(options) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`bench server ${name} exited with ${code}`));
    child.once('exit', onExit);
    child.on('message', function listening(m: { type?: string; port?: number }) {
      if (m?.type !== 'listening') return;
      child.off('message', listening);
      child.off('exit', onExit);
      resolve(m.port as number);
    });
  });
  let asked = 0;
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    ask<T>(message: { type: string }) {
      const id = ++asked;
      return new Promise<T>((resolve) => {
        const answer = (m: { id?: number; value?: T }) => {
          if (m?.id !== id) return;
          child.off('message', answer);
          resolve(m.value as T);
        };
        child.on('message', answer);
        child.send({ ...message, id });
      });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send({ type: 'stop' });
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

/** In the child: the options it was started with. */
export function serverOptions<T>(): T {
  return JSON.parse(process.env.BENCH_SERVER_OPTIONS ?? '{}') as T;
}

/** In the child: tells the parent the port, then answers its questions until told to stop. */
export function serve(
  port: number,
  handlers: Record<string, (m: Record<string, unknown>) => unknown> & { stop?: () => Promise<void> },
): void {
  process.on('message', async (m: { type: string; id?: number; [k: string]: unknown }) => {
    if (m.type === 'stop') {
      await handlers.stop?.();
      process.exit(0);
    }
    const handler = handlers[m.type];
    const value = handler ? await handler(m) : undefined;
    process.send?.({ id: m.id, value });
  });
  process.send?.({ type: 'listening', port });
}
