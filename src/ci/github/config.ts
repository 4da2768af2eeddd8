/** GitHub's parts of deckhand.yaml: `providers.github`, `pipelines.*.github`, `repositories.*.github`. */
import { z } from 'zod';
import { configParts } from '../config-parts.ts';
import { inputsSchema } from '../inputs.ts';

const github = configParts('github', {
  connection: z.strictObject({
    apiUrl: z.url().optional(),
    token: z.string().min(1).optional(),
    appId: z.union([z.string(), z.number()]).transform(String).optional(),
    privateKey: z.string().min(1).optional(),
    installationId: z.union([z.string(), z.number()]).transform(String).optional(),
    webhookSecret: z.string().min(1).optional(),
  }),
  pipeline: z.strictObject({
    /** Workflow file name (`build.yml`) or numeric id. */
    workflow: z.string().min(1),
    inputs: inputsSchema,
    /** Record deploys through the Deployments API too (default true for deploy/rollback). */
    deployments: z.boolean().default(true),
  }),
  /** `owner/repo` on GitHub. */
  repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'write it as owner/repo'),
});

export const githubConfig = github.parts;
export const githubConnection = github.connection;
export const githubPipelineOf = github.pipelineOf;
export const githubRepoOf = github.repositoryOf;
