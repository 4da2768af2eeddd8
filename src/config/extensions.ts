/**
 * What modules add to deckhand.yaml: their own sections (`slack:`), a CI system's parts of
 * `providers:`, `pipelines.*` and `repositories.*`, the command names the config may refer to, and
 * checks across sections. The config knows no module; the assembly hands it these.
 */
import type { z } from 'zod';
import type { Config } from './schema.ts';

/** Reports a problem at a YAML path. */
export type ConfigIssue = (path: (string | number)[], message: string) => void;

/** A CI system's parts of the config, by the name pipelines give as `provider:`. */
export interface CiConfigParts {
  /** `providers.<name>`: how to reach it. */
  connection?: z.ZodType;
  /** `pipelines.<p>.<name>`: what a pipeline runs there. */
  pipeline?: z.ZodType;
  /** `repositories.<r>.<name>`: the repository's name there. */
  repository?: z.ZodType;
}

export interface ConfigExtensions {
  /** Top-level sections by name; a schema with a default (`prefault`) makes its section always present. */
  sections?: Record<string, z.ZodType>;
  /** CI systems by name. */
  ci?: Record<string, CiConfigParts>;
  /** Command names the config may refer to, those that change an environment, and those that only read. */
  commands?: { names: readonly string[]; changing: readonly string[]; reading?: readonly string[] };
  /** Checks across sections, run on the validated config. */
  checks?: readonly ((config: Config, issue: ConfigIssue) => void)[];
}
