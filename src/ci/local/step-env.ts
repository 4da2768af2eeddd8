/** The environment a step sees: a few host basics, the pipeline's env, and DECKHAND_* values. */
import type { RunSpec } from '../../core/ports.ts';

/** Host variables a step may inherit; everything else in deckhand's environment stays private. */
const inherited = ['PATH', 'HOME', 'LANG', 'TZ', 'TMPDIR'] as const;

const paramName = /^[A-Za-z][A-Za-z0-9_]*$/;

export interface StepEnvInput {
  spec: RunSpec;
  commit: string;
  dataDir: string;
  pipelineEnv: Record<string, string>;
  hostEnv?: NodeJS.ProcessEnv;
}

/** Builds the step environment; user values appear only as variable values, never as code. */
export function stepEnv(input: StepEnvInput): Record<string, string> {
  const host = input.hostEnv ?? process.env;
  const env: Record<string, string> = {};
  for (const name of inherited) {
    const value = host[name];
    if (value !== undefined) env[name] = value;
  }
  if (env.PATH === undefined) env.PATH = '/usr/local/bin:/usr/bin:/bin';
  Object.assign(env, input.pipelineEnv);
  for (const [name, value] of Object.entries(input.spec.params)) {
    if (paramName.test(name)) env[`DECKHAND_${name.toUpperCase()}`] = String(value);
  }
  Object.assign(env, {
    DECKHAND_RUN_ID: String(input.spec.runId),
    DECKHAND_KIND: input.spec.kind,
    DECKHAND_PIPELINE: input.spec.pipeline,
    DECKHAND_REF: input.spec.ref,
    DECKHAND_COMMIT: input.commit,
    DECKHAND_DATA_DIR: input.dataDir,
  });
  return env;
}
