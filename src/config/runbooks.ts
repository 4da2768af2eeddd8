/**
 * `runbooks:`: operations run from chat as `/ops <runbook> [args…]`. Each has typed arguments, the
 * roles that may run it, its gates (confirm, approvals, the environment it touches) and steps: a
 * local command (argv, never a shell), an HTTP call or a pipeline, each with an optional check and undo.
 */
import { z } from 'zod';
import { parseDuration } from './duration.ts';

// Declared here rather than imported from sections.ts, which imports this file.
const id = z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'use letters, digits, ".", "_" and "-" only');
const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration; write e.g. 90s, 10m or 2h` });
    return z.NEVER;
  }
  return ms;
});

/** `{{name}}` in a template: an argument's value, substituted as the step kind says. */
export const placeholder = /\{\{\s*([a-z][a-z0-9_-]*)\s*\}\}/gi;

/** Command names every family shares or the core answers: a runbook may not take them. */
export const reservedRunbookNames = [
  'help',
  'explain',
  'whoami',
  'confirm',
  'abandon',
  'cancel',
  'approve',
  'reject',
];

const argument = z.strictObject({
  /** Lowercase word; `environment` is the one a runbook changes (a configured environment). */
  name: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'use a lowercase word like "service"'),
  description: z.string().default(''),
  /** The values it accepts (an enum). */
  values: z.array(z.string().min(1)).min(1).optional(),
  /** Or a regular expression a value must match in full (e.g. `[a-z0-9-]{1,40}`). */
  pattern: z.string().min(1).optional(),
  /** It may be left out (only the last ones may). */
  optional: z.boolean().default(false),
});

const command = z.strictObject({
  /** The program and its arguments; an item is a literal or exactly one `{{arg}}`. */
  argv: z.array(z.string().min(1)).min(1),
  /** Extra environment variables; a value is a literal or exactly one `{{arg}}`. */
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
  cwd: z.string().optional(),
});

const http = z.strictObject({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
  /** `{{arg}}` is substituted URL-encoded. */
  url: z.string().regex(/^https?:\/\//, 'an http:// or https:// URL'),
  headers: z.record(z.string(), z.string()).default({}),
  /** Headers whose values are secrets (`${file:…}`, `${vault:…}`, `${ENV}`): masked everywhere. */
  secretHeaders: z.record(z.string(), z.string().min(1)).default({}),
  /** `{{arg}}` is substituted JSON-escaped (inside a JSON string). */
  body: z.string().optional(),
  /** The status codes that count as success (default any 2xx). */
  expect: z.union([z.number().int(), z.array(z.number().int())]).optional(),
});

const pipeline = z.strictObject({
  /** A configured pipeline, on whichever CI system runs it. */
  name: id,
  /** The branch it runs on (default: its repository's default branch). */
  ref: z.string().optional(),
});

const kinds = {
  command: command.optional(),
  http: http.optional(),
  pipeline: pipeline.optional(),
  /** How long it may take (default 60s; a pipeline waits up to its own timeout). */
  timeout: duration.optional(),
};

const oneKind = (a: { command?: unknown; http?: unknown; pipeline?: unknown }) =>
  [a.command, a.http, a.pipeline].filter((k) => k !== undefined).length === 1;
const oneKindMessage = { message: 'give exactly one of `command:`, `http:` or `pipeline:`' };

/** A check or an undo: one action. */
export const actionSchema = z.strictObject(kinds).refine(oneKind, oneKindMessage);

const step = z
  .strictObject({
    name: z.string().min(1),
    ...kinds,
    /** Run before the step; if it fails, the runbook stops there (and undoes what ran). */
    check: actionSchema.optional(),
    /** Run, in reverse order, for the steps already done when a later step fails. */
    undo: actionSchema.optional(),
  })
  .refine(oneKind, oneKindMessage);

const runbook = z.strictObject({
  summary: z.string().min(1),
  args: z.array(argument).default([]),
  /** Who may run it; nobody when none is listed. */
  roles: z.array(id).default([]),
  /** The environment it always touches (or give it an argument named `environment`). */
  environment: id.optional(),
  /** Ask the requester to confirm first. */
  confirm: z.boolean().default(false),
  approvals: z
    .strictObject({
      count: z.number().int().min(1).max(10).default(1),
      roles: z.array(id).min(1),
      /** Where the request is posted (default `approvals.channel`). */
      channel: id.optional(),
    })
    .optional(),
  steps: z.array(step).min(1),
  examples: z.array(z.string()).default([]),
});

export const runbooksSchema = z
  .record(
    z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'a runbook name is a lowercase word like "restart"'),
    runbook,
  )
  .default({});

export type RunbooksConfig = z.output<typeof runbooksSchema>;
export type RunbookConfig = RunbooksConfig[string];
export type RunbookStep = RunbookConfig['steps'][number];
export type RunbookAction = z.output<typeof actionSchema>;
export type RunbookArgument = RunbookConfig['args'][number];

/**
 * The secret header values of every HTTP action, for the redactor: each whole value and its last
 * word (the token after `Bearer`), since either may show up in output.
 */
export function runbookSecrets(runbooks: RunbooksConfig): string[] {
  const actions = Object.values(runbooks).flatMap((r) =>
    r.steps.flatMap((s) => [s, s.check, s.undo].filter((a): a is RunbookAction => a !== undefined)),
  );
  return actions.flatMap((a) =>
    Object.values(a.http?.secretHeaders ?? {}).flatMap((v) => {
      const last = v.trim().split(/\s+/).pop() ?? '';
      return last.length >= 8 && last !== v ? [v, last] : [v];
    }),
  );
}
