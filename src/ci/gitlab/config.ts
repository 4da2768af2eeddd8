/** GitLab's parts of deckhand.yaml: `providers.gitlab`, `pipelines.*.gitlab`, `repositories.*.gitlab`. */
import { z } from 'zod';
import { configParts } from '../config-parts.ts';
import { inputsSchema } from '../inputs.ts';

const gitlab = configParts('gitlab', {
  connection: z.strictObject({
    url: z.url().optional(),
    token: z.string().min(1).optional(),
    webhookToken: z.string().min(1).optional(),
  }),
  pipeline: z.strictObject({
    /** A manual job to play once the pipeline exists (e.g. `deploy`). */
    job: z.string().min(1).optional(),
    variables: inputsSchema,
  }),
  /** Project path (`group/app`) or numeric id on GitLab. */
  repository: z.union([z.string().min(1), z.number()]).transform(String),
});

export const gitlabConfig = gitlab.parts;
export const gitlabConnection = gitlab.connection;
export const gitlabPipelineOf = gitlab.pipelineOf;
export const gitlabRepoOf = gitlab.repositoryOf;
