/**
 * What modules add to deckhand.yaml: their own sections (`slack:`), a CI system's parts of
 * `providers:`, `pipelines.*` and `repositories.*`, the command names the config may refer to, and
 * checks across sections. The config knows no module; the assembly hands it these.
 */
import type { z } from 'zod';
import type { CiConfigParts, Config } from './sections.ts';

export type { CiConfigParts } from './sections.ts';

/** Reports a problem at a YAML path. */
export type ConfigIssue = (path: (string | number)[], message: string) => void;

export interface ConfigExtensions {
  /** Top-level sections by name; a schema with a default (`prefault`) makes its section always present. */
  sections?: Record<string, z.ZodType>;
  /** CI systems by name. */
  ci?: Record<string, CiConfigParts>;
  /**
   * Command names the config may refer to, those that change an environment, those that only read,
   * and each family's commands by its root word (`ci` → build, test…), for grants like `ci deploy`.
   */
  commands?: {
    names: readonly string[];
    changing: readonly string[];
    reading?: readonly string[];
    families?: Readonly<Record<string, readonly string[]>>;
  };
  /** Checks across sections, run on the validated config. */
  checks?: readonly ((config: Config, issue: ConfigIssue) => void)[];
}
