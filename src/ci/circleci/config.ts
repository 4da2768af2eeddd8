/** CircleCI's parts of deckhand.yaml: `providers.circleci`, `pipelines.*.circleci`, `repositories.*.circleci`. */
import { z } from 'zod';
import { configParts } from '../config-parts.ts';
import { inputsSchema } from '../inputs.ts';

const circleci = configParts('circleci', {
  connection: z.strictObject({
    apiUrl: z.url().optional(),
    token: z.string().min(1).optional(),
    webhookSecret: z.string().min(1).optional(),
  }),
  pipeline: z.strictObject({
    parameters: inputsSchema,
    /** An approval (hold) job that `/ci` approvals release. */
    approvalJob: z.string().min(1).optional(),
  }),
  /** CircleCI project slug, e.g. `gh/org/app`. */
  repository: z.string().regex(/^[\w-]+\/[\w.-]+\/[\w.-]+$/, 'write it as gh/org/repo'),
});

export const circleciConfig = circleci.parts;
export const circleciConnection = circleci.connection;
export const circleciPipelineOf = circleci.pipelineOf;
export const circleciRepoOf = circleci.repositoryOf;
