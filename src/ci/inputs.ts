/** Turns a pipeline's input mapping into the values a CI system receives (shared by adapters). */
import { z } from 'zod';
import type { RunSpec } from '../core/ports.ts';

/** Which deckhand value feeds a CI input: a run parameter, or `=literal`. */
const inputSource = z
  .string()
  .regex(
    /^(branch|version|environment|suite|requested_by|run_id|ref|=.*)$/,
    'use branch, version, environment, suite, requested_by, run_id, ref, or =literal',
  );

/** Workflow/pipeline inputs: CI input name → deckhand value. */
export const inputsSchema = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/), inputSource).default({});

/**
 * `{ DEPLOY_ENV: environment, CHANNEL: "=stable" }` → `{ DEPLOY_ENV: 'staging', CHANNEL: 'stable' }`.
 * Sources: a run parameter (`branch`, `version`, `environment`, `suite`, `requested_by`), `run_id`,
 * `ref`, or `=literal`. A value the run does not have is left out, so the CI default applies.
 */
export function mapInputs(mapping: Record<string, string>, spec: RunSpec): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, source] of Object.entries(mapping)) {
    const value = source.startsWith('=')
      ? source.slice(1)
      : source === 'run_id'
        ? String(spec.runId)
        : source === 'ref'
          ? spec.ref
          : spec.params[source];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
