/** CI provider settings: connections (`providers:`) and what each pipeline runs there. */
import { z } from 'zod';

/** Which deckhand value feeds a CI input: a run parameter, or `=literal`. */
const inputSource = z
  .string()
  .regex(
    /^(branch|version|environment|suite|requested_by|run_id|ref|=.*)$/,
    'use branch, version, environment, suite, requested_by, run_id, ref, or =literal',
  );

/** Workflow/pipeline inputs: CI input name → deckhand value. */
export const inputsSchema = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/), inputSource).default({});

export const githubPipeline = z.strictObject({
  /** Workflow file name (`build.yml`) or numeric id. */
  workflow: z.string().min(1),
  inputs: inputsSchema,
  /** Record deploys through the Deployments API too (default true for deploy/rollback). */
  deployments: z.boolean().default(true),
});

export const gitlabPipeline = z.strictObject({
  /** A manual job to play once the pipeline exists (e.g. `deploy`). */
  job: z.string().min(1).optional(),
  variables: inputsSchema,
});

export const jenkinsPipeline = z.strictObject({
  /** Job path: `app`, `folder/app`, or `folder/multibranch/main`. */
  job: z.string().min(1),
  parameters: inputsSchema,
});

export const circleciPipeline = z.strictObject({
  parameters: inputsSchema,
  /** An approval (hold) job that `/ci` approvals release. */
  approvalJob: z.string().min(1).optional(),
});

/** Connections; every secret also comes from its conventional environment variable. */
export const providersSchema = z
  .strictObject({
    github: z
      .strictObject({
        apiUrl: z.url().optional(),
        token: z.string().min(1).optional(),
        appId: z.union([z.string(), z.number()]).transform(String).optional(),
        privateKey: z.string().min(1).optional(),
        installationId: z.union([z.string(), z.number()]).transform(String).optional(),
        webhookSecret: z.string().min(1).optional(),
      })
      .optional(),
    gitlab: z
      .strictObject({
        url: z.url().optional(),
        token: z.string().min(1).optional(),
        webhookToken: z.string().min(1).optional(),
      })
      .optional(),
    jenkins: z
      .strictObject({
        url: z.url().optional(),
        user: z.string().min(1).optional(),
        token: z.string().min(1).optional(),
        webhookToken: z.string().min(1).optional(),
        /** How often running builds are polled when no webhook reports them (ms or `10s`). */
        pollInterval: z.union([z.string(), z.number()]).optional(),
      })
      .optional(),
    circleci: z
      .strictObject({
        apiUrl: z.url().optional(),
        token: z.string().min(1).optional(),
        webhookSecret: z.string().min(1).optional(),
      })
      .optional(),
  })
  .prefault({});

export const providerNames = ['local', 'github', 'gitlab', 'jenkins', 'circleci'] as const;
export type ProviderName = (typeof providerNames)[number];
