/** The shape of deckhand.yaml, validated with zod. */
import { z } from 'zod';
import { commandModules } from '../core/commands/index.ts';
import { parseDuration } from '../core/format.ts';
import { freezeSchema } from './freezes.ts';
import {
  circleciPipeline,
  githubPipeline,
  gitlabPipeline,
  jenkinsPipeline,
  providerNames,
  providersSchema,
} from './providers.ts';

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'use letters, digits, ".", "_" and "-" only (e.g. "ci-builds")');

const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration; write e.g. 90s, 10m or 2h` });
    return z.NEVER;
  }
  return ms;
});

const server = z
  .strictObject({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(3000),
    publicUrl: z.url().optional(),
    /** Largest accepted request body, in bytes. */
    bodyLimit: z
      .number()
      .int()
      .positive()
      .default(64 * 1024),
  })
  .prefault({});

const database = z
  .strictObject({
    /** The store driver (default `sqlite`, the embedded file). */
    driver: z.string().default('sqlite'),
    /** Folder for the SQLite file, workspaces and the demo repository. */
    dataDir: z.string().default('.deckhand'),
    /** SQLite file; defaults to `<dataDir>/deckhand.db`. */
    sqlite: z.string().optional(),
  })
  .prefault({});

const repository = z.strictObject({
  /** A local path or a URL git can clone. */
  url: z.string().min(1),
  defaultBranch: z.string().default('main'),
  /** Create the demo repository at `url` when it is absent (the demo uses this). */
  seedDemo: z.boolean().default(false),
  /** `owner/repo` on GitHub. */
  github: z
    .string()
    .regex(/^[\w.-]+\/[\w.-]+$/, 'write it as owner/repo')
    .optional(),
  /** Project path (`group/app`) or numeric id on GitLab. */
  gitlab: z
    .union([z.string().min(1), z.number()])
    .transform(String)
    .optional(),
  /** CircleCI project slug, e.g. `gh/org/app`. */
  circleci: z
    .string()
    .regex(/^[\w-]+\/[\w.-]+\/[\w.-]+$/, 'write it as gh/org/repo')
    .optional(),
});

const person = z.strictObject({
  id,
  name: z.string().min(1),
  roles: z.array(id).default([]),
  /** Chat identities: platform → that platform's immutable user id. */
  chat: z.record(z.string(), z.string().min(1)).default({}),
  emails: z.array(z.email()).default([]),
});

/** `x` or `[x, y]`, read as a list. */
const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item)]).transform((v) => (Array.isArray(v) ? v : [v]) as z.output<T>[]);

/** What a role may run: commands (or `*`), optionally only for some environments. */
const grant = z.strictObject({
  commands: oneOrMany(z.string()),
  environments: oneOrMany(id).optional(),
});

const role = z
  .strictObject({ description: z.string().optional(), allow: z.array(grant).default([]) })
  .prefault({});

/** Commands (for some environments) that may only be run from some channels. */
const channelRule = grant.extend({ channels: z.array(id).min(1) });

/** Channel id → per-platform address; a platform not listed uses the id itself. */
const channel = z
  .record(z.string(), z.string().min(1))
  .nullable()
  .transform((value) => value ?? {});

const step = z.strictObject({
  name: z.string().min(1),
  /** Shell text written by the operator; user values reach it only as DECKHAND_* variables. */
  run: z.string().min(1),
  timeout: duration.optional(),
});

const pipeline = z.strictObject({
  provider: z.enum(providerNames).default('local'),
  repository: id,
  timeout: duration.default(15 * 60 * 1000),
  /** The local runner's steps. */
  steps: z.array(step).default([]),
  github: githubPipeline.optional(),
  gitlab: gitlabPipeline.optional(),
  jenkins: jenkinsPipeline.optional(),
  circleci: circleciPipeline.optional(),
  /** JUnit XML files the steps write, relative to the workspace (globs allowed). */
  junit: z.array(z.string()).default([]),
  env: z.record(z.string(), z.string()).default({}),
});

const command = z.strictObject({ pipeline: id });
const testCommand = command.extend({
  suites: z.array(id).default([]),
  defaultSuite: id.optional(),
});

/** Who must approve a command to an environment before it runs. */
const approvalRule = z.strictObject({
  count: z.number().int().min(1).max(10).default(1),
  roles: oneOrMany(id),
  /** Commands that need it (default: deploy). */
  commands: oneOrMany(z.enum(['deploy', 'rollback'])).default(['deploy']),
  /** Where the request is posted (default: `approvals.channel`). */
  channel: id.optional(),
  expiry: duration.optional(),
});

const environment = z.strictObject({
  name: id,
  order: z.number().int().default(0),
  /** Deploys and rollbacks here ask the requester to confirm. */
  protected: z.boolean().default(false),
  description: z.string().optional(),
  approvals: approvalRule.optional(),
});

const approvals = z
  .strictObject({
    /** The channel approval requests are posted to. */
    channel: id.optional(),
    /** How long a request waits for its approvals. */
    expiry: duration.default(60 * 60 * 1000),
  })
  .prefault({});

const confirmations = z
  .strictObject({
    /** How long a confirmation prompt stays valid. */
    expiry: duration.default(2 * 60 * 1000),
    /** Commands that always ask (deploys and rollbacks to protected environments always do). */
    commands: oneOrMany(z.string()).default(['rollback']),
  })
  .prefault({});

const kinds = z.enum(['build', 'test', 'deploy', 'rollback', 'security']);
const statuses = z.enum(['started', 'succeeded', 'failed', 'cancelled']);
const route = z.strictObject({
  kind: oneOrMany(kinds).optional(),
  status: oneOrMany(statuses).optional(),
  /** Branch name or glob (`release/*`). */
  branch: oneOrMany(z.string()).optional(),
  environment: oneOrMany(id).optional(),
  channels: z.array(id).min(1),
});

const runner = z
  .strictObject({
    concurrency: z.number().int().min(1).default(2),
    workspaceDir: z.string().optional(),
    /** Bytes of log kept per step. */
    logLimit: z
      .number()
      .int()
      .min(1024)
      .default(256 * 1024),
    /** Keep finished workspaces (for debugging). */
    keepWorkspaces: z.boolean().default(false),
  })
  .prefault({});

const webchat = z
  .strictObject({ enabled: z.boolean().default(true), title: z.string().default('deckhand') })
  .prefault({});

/** Slack; secrets default to SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, SLACK_APP_TOKEN, SLACK_API_URL. */
const slack = z.strictObject({
  enabled: z.boolean().default(true),
  signingSecret: z.string().min(1).optional(),
  botToken: z.string().min(1).optional(),
  /** An app-level token (`xapp-…`) switches to Socket Mode: no public URL needed. */
  appToken: z.string().min(1).optional(),
  /** Web API base URL, for proxies and tests. */
  apiUrl: z.url().optional(),
  /** The slash command as registered in Slack. */
  command: z
    .string()
    .regex(/^\/[a-z0-9_-]+$/, 'a slash command like /ci')
    .default('/ci'),
  /** Slack user group id (`S…`) → roles its members get. */
  usergroups: z.record(z.string(), z.array(id)).default({}),
  usergroupCacheTtl: duration.default(300_000),
  /** Also post a run's final state to the channel when it lands in a thread. */
  broadcastFinal: z.boolean().default(false),
});

export const configSchema = z
  .strictObject({
    server,
    database,
    repositories: z.record(id, repository).default({}),
    people: z.array(person).default([]),
    roles: z.record(id, role).default({}),
    channels: z.record(id, channel).default({}),
    commands: z
      .strictObject({
        build: command.optional(),
        test: testCommand.optional(),
        deploy: command.optional(),
        rollback: command.optional(),
      })
      .prefault({}),
    pipelines: z.record(id, pipeline).default({}),
    environments: z.array(environment).default([]),
    notifications: z.array(route).default([]),
    runner,
    webchat,
    slack: slack.optional(),
    providers: providersSchema,
    policy: z.strictObject({ channels: z.array(channelRule).default([]) }).prefault({}),
    approvals,
    confirmations,
    freezes: z.array(freezeSchema).default([]),
  })
  .superRefine((config, ctx) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });
    for (const [name, p] of Object.entries(config.pipelines)) {
      const repo = config.repositories[p.repository];
      if (!repo) {
        issue(
          ['pipelines', name, 'repository'],
          `unknown repository "${p.repository}"; add it under repositories`,
        );
      }
      if (p.provider === 'local' && p.steps.length === 0) {
        issue(['pipelines', name, 'steps'], 'a local pipeline needs at least one step');
      }
      if (p.provider === 'github' && !p.github) {
        issue(['pipelines', name], 'a github pipeline needs `github: { workflow: build.yml }`');
      }
      if (p.provider === 'jenkins' && !p.jenkins) {
        issue(['pipelines', name], 'a jenkins pipeline needs `jenkins: { job: name }`');
      }
      for (const provider of ['github', 'gitlab', 'circleci'] as const) {
        if (p.provider === provider && repo && !repo[provider]) {
          issue(
            ['repositories', p.repository],
            `pipeline "${name}" runs on ${provider}: set \`${provider}:\` here`,
          );
        }
      }
    }
    for (const [name, c] of Object.entries(config.commands)) {
      if (c && !config.pipelines[c.pipeline]) {
        issue(['commands', name, 'pipeline'], `unknown pipeline "${c.pipeline}"; add it under pipelines`);
      }
    }
    config.notifications.forEach((r, i) => {
      r.channels.forEach((ch, j) => {
        if (!(ch in config.channels)) issue(['notifications', i, 'channels', j], `unknown channel "${ch}"`);
      });
    });
    for (const [group, roles] of Object.entries(config.slack?.usergroups ?? {})) {
      roles.forEach((r, j) => {
        if (!(r in config.roles))
          issue(['slack', 'usergroups', group, j], `unknown role "${r}"; add it under roles`);
      });
    }
    const seen = new Set<string>();
    config.people.forEach((p, i) => {
      if (seen.has(p.id)) issue(['people', i, 'id'], `person "${p.id}" is listed twice`);
      seen.add(p.id);
      p.roles.forEach((r, j) => {
        if (!(r in config.roles)) issue(['people', i, 'roles', j], `unknown role "${r}"; add it under roles`);
      });
    });
    const envs = new Set<string>();
    config.environments.forEach((e, i) => {
      if (envs.has(e.name)) issue(['environments', i, 'name'], `environment "${e.name}" is listed twice`);
      envs.add(e.name);
      e.approvals?.roles.forEach((r, j) => {
        if (!(r in config.roles))
          issue(['environments', i, 'approvals', 'roles', j], `unknown role "${r}"; add it under roles`);
      });
      const where = e.approvals?.channel ?? config.approvals.channel;
      if (e.approvals && !where)
        issue(
          ['environments', i, 'approvals'],
          'set `channel:` here or `approvals.channel` for the requests',
        );
      else if (e.approvals && where && !(where in config.channels))
        issue(['environments', i, 'approvals', 'channel'], `unknown channel "${where}"`);
    });
    config.freezes.forEach((f, i) => {
      f.breakGlass.roles.forEach((r, j) => {
        if (!(r in config.roles))
          issue(['freezes', i, 'breakGlass', 'roles', j], `unknown role "${r}"; add it under roles`);
      });
      f.environments?.forEach((e, j) => {
        if (!envs.has(e)) issue(['freezes', i, 'environments', j], `unknown environment "${e}"`);
      });
    });
    const commandNames = commandModules.map((c) => c.name as string);
    config.confirmations.commands.forEach((c, i) => {
      if (!commandNames.includes(c))
        issue(
          ['confirmations', 'commands', i],
          `unknown command "${c}"; commands: ${commandNames.join(', ')}`,
        );
    });
    if (config.approvals.channel && !(config.approvals.channel in config.channels))
      issue(['approvals', 'channel'], `unknown channel "${config.approvals.channel}"`);
  });

export type Config = z.output<typeof configSchema>;
export type PipelineConfig = Config['pipelines'][string];
export type StepConfig = PipelineConfig['steps'][number];
export type RouteConfig = Config['notifications'][number];
export type Person = Config['people'][number];
export type EnvironmentConfig = Config['environments'][number];
export type RepositoryConfig = Config['repositories'][string];
export type SlackConfig = NonNullable<Config['slack']>;
