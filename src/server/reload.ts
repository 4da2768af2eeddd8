/** Config reload (SIGHUP): who may do what changes at once; the rest waits for a restart. Both audited. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError, formatProblem, type LoadedConfig } from '../config/load.ts';
import type { Core } from '../core/core.ts';
import type { LiveOnCall } from '../core/oncall/index.ts';
import type { Directory } from '../core/people.ts';
import { type Policy, policyOptions } from '../core/policy.ts';
import type { Clock } from '../core/ports.ts';
import type { Redactor } from '../core/redact.ts';
import type { AuditStore } from '../core/store.ts';
import type { gatingFromConfig } from './gating.ts';

/** Sections a reload applies in place. Environments apply their gates (approvals, protection). */
const live = new Set(['people', 'roles', 'policy', 'approvals', 'confirmations', 'freezes', 'environments']);
// On-call schedules and overrides change often (someone covers a shift): they apply at once too.
live.add('oncall');

export interface ReloadDeps {
  audit: AuditStore;
  clock: Clock;
  redactor: Redactor;
  directory: Directory;
  policy: Policy;
  core: Core;
  gating: (config: LoadedConfig) => ReturnType<typeof gatingFromConfig>;
  /** Takes the new `oncall:` section. */
  oncall?: Pick<LiveOnCall, 'replace'>;
  logger: { info(o: object, m: string): void; warn(o: object, m: string): void };
}

export interface ReloadResult {
  applied: string[];
  /** Changed sections that take effect at the next start. */
  restart: string[];
  error?: string;
}

/** The file's hash, so the audit log says which version was in force. */
export function configHash(file: string): string {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);
  } catch {
    return 'unreadable';
  }
}

/** Top-level sections whose contents differ. */
function changedSections(before: LoadedConfig, after: LoadedConfig): string[] {
  // Module sections (`slack:`) count as sections of their own.
  const b = { ...before, ...before.sections } as unknown as Record<string, unknown>;
  const a = { ...after, ...after.sections } as unknown as Record<string, unknown>;
  const keys = new Set([...Object.keys(b), ...Object.keys(a)]);
  for (const k of ['file', 'secrets', 'paths', 'sections', 'reading']) keys.delete(k);
  return [...keys].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k])).sort();
}

const names = (envs: LoadedConfig['environments']) => JSON.stringify(envs.map((e) => e.name).sort());

/** Creates the reload function; `current` is the config in force, updated on success. */
export function createReloader(deps: ReloadDeps, initial: LoadedConfig, load: () => Promise<LoadedConfig>) {
  let current = initial;
  return async function reload(): Promise<ReloadResult> {
    const entry = { at: deps.clock.now(), kind: 'config.reload', text: `sha256:${configHash(current.file)}` };
    let next: LoadedConfig;
    try {
      next = await load();
    } catch (err) {
      const error = err instanceof ConfigError ? err.message : String((err as Error)?.message ?? err);
      deps.logger.warn({ error }, 'config reload refused; the running config stays in force');
      // Each problem on a line of its own, as check-config prints it (file:line:column: path: message).
      if (err instanceof ConfigError)
        for (const problem of err.problems) deps.logger.warn({}, formatProblem(err.file, problem));
      await deps.audit.append({
        ...entry,
        decision: 'rejected:invalid',
        outcome: `error: ${error.slice(0, 1500)}`,
      });
      return { applied: [], restart: [], error };
    }
    // New secrets are masked before anything could show them.
    deps.redactor.add(next.secrets);
    const changed = changedSections(current, next);
    const restart = changed.filter(
      (s) =>
        !live.has(s) || (s === 'environments' && names(current.environments) !== names(next.environments)),
    );
    const applied = changed.filter((s) => !restart.includes(s));
    deps.directory.replace(next.people);
    deps.policy.replace(policyOptions(next));
    deps.core.gates.reconfigure(deps.gating(next));
    deps.oncall?.replace(next);
    current = next;
    const outcome =
      (applied.length ? `applied: ${applied.join(', ')}` : 'no change in force') +
      (restart.length ? `; needs a restart: ${restart.join(', ')}` : '');
    deps.logger.info({ applied, restart }, 'config reloaded');
    await deps.audit.append({ ...entry, decision: 'applied', outcome });
    return { applied, restart };
  };
}
