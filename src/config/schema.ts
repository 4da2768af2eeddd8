/** The schema of deckhand.yaml: the sections every deckhand has, what modules add, and checks across them. */
import { z } from 'zod';
import { checkReferences } from './checks.ts';
import type { ConfigExtensions } from './extensions.ts';
import { baseShape, type Config } from './sections.ts';

export type {
  Config,
  EnvironmentConfig,
  Person,
  PipelineConfig,
  RepositoryConfig,
  RouteConfig,
  StepConfig,
} from './sections.ts';
export { duration, id } from './sections.ts';

/** The schema of deckhand.yaml with what the modules add. */
export function configSchema(ext: ConfigExtensions = {}): z.ZodType<Config & Record<string, unknown>> {
  const schema = z
    .strictObject({ ...baseShape(ext.ci ?? {}), ...ext.sections })
    .superRefine((parsed, ctx) => {
      const config = parsed as unknown as Config;
      const issue = (path: (string | number)[], message: string) =>
        ctx.addIssue({ code: 'custom', path, message });
      checkReferences(config, issue, ext);
      for (const check of ext.checks ?? []) check(config, issue);
    });
  return schema as unknown as z.ZodType<Config & Record<string, unknown>>;
}
