/** SARIF logs a run's steps wrote (pipelines' `sarif:` globs), read when the run ends. */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseSarif } from '../../alerts/sarif/parse.ts';
import type { Finding } from '../../core/security/findings.ts';
import { matchFiles } from './glob.ts';

const maxFileBytes = 20 * 1024 * 1024;

/** Every finding in the logs matching `patterns` under `workspace`; undefined when none could be read. */
export async function collectSarif(
  workspace: string,
  patterns: string[],
  logger: { warn(obj: object, msg?: string): void },
): Promise<Finding[] | undefined> {
  if (patterns.length === 0) return undefined;
  const findings: Finding[] = [];
  let parsed = 0;
  for (const file of matchFiles(workspace, patterns)) {
    const relative = path.relative(workspace, file);
    try {
      if ((await stat(file)).size > maxFileBytes) throw new Error('file is larger than 20 MB');
      findings.push(...parseSarif(JSON.parse(await readFile(file, 'utf8'))));
      parsed += 1;
    } catch (error) {
      logger.warn({ file: relative, err: (error as Error).message }, 'skipping unreadable SARIF log');
    }
  }
  return parsed > 0 ? findings : undefined;
}
