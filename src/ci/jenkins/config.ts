/** Jenkins's parts of deckhand.yaml: `providers.jenkins` and `pipelines.*.jenkins`. */
import { z } from 'zod';
import { configParts } from '../config-parts.ts';
import { inputsSchema } from '../inputs.ts';

const jenkins = configParts('jenkins', {
  connection: z.strictObject({
    url: z.url().optional(),
    user: z.string().min(1).optional(),
    token: z.string().min(1).optional(),
    webhookToken: z.string().min(1).optional(),
    /** How often running builds are polled when no webhook reports them (ms or `10s`). */
    pollInterval: z.union([z.string(), z.number()]).optional(),
  }),
  pipeline: z.strictObject({
    /** Job path: `app`, `folder/app`, or `folder/multibranch/main`. */
    job: z.string().min(1),
    parameters: inputsSchema,
  }),
});

export const jenkinsConfig = jenkins.parts;
export const jenkinsConnection = jenkins.connection;
export const jenkinsPipelineOf = jenkins.pipelineOf;
