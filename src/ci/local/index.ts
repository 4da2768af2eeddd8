/** The local CI provider: public entry points. */
export { seedDemoRepo } from './demo-repo.ts';
export { createLocalRunner, type LocalRunner, type LocalRunnerOptions } from './local-runner.ts';
export type { RunnerLogger } from './run-executor.ts';
