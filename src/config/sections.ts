/** The sections every deckhand.yaml has, validated with zod, and the types of a validated config. */
import { z } from 'zod';
import { deploymentsSchema } from './deployments.ts';
import { parseDuration } from './duration.ts';
import { freezeSchema } from './freezes.ts';
import { incidentsSchema } from './incidents.ts';
import { oncallSchema } from './oncall.ts';
import { runbooksSchema } from './runbooks.ts';

/** A CI system's parts of the config, by the name pipelines give as `provider:`. */
export interface CiConfigParts {
  /** `providers.<name>`: how to reach it. */
  connection?: z.ZodType;
  /** `pipelines.<p>.<name>`: what a pipeline runs there. */
  pipeline?: z.ZodType;
  /** `repositories.<r>.<name>`: the repository's name there. */
  repository?: z.ZodType;
}

export const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'use letters, digits, ".", "_" and "-" only (e.g. "ci-builds")');

export const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
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
    /**
     * How long delivery and request ids are remembered, so a retried webhook or a replayed request
     * is handled once (at least a day: CI systems retry for hours).
     */
    keepDeliveryIds: duration
      .refine((ms) => ms >= 24 * 3600_000, 'keepDeliveryIds is at least 1d')
      .default(30 * 24 * 3600_000),
  })
  .prefault({});

/** A repository; CI systems add their own key (`github: owner/repo`). */
const repositoryBase = {
  /** A local path or a URL git can clone. */
  url: z.string().min(1),
  defaultBranch: z.string().default('main'),
  /** Create the demo repository at `url` when it is absent (the demo uses this). */
  seedDemo: z.boolean().default(false),
};

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

/** A pipeline; CI systems add their own key (`github: { workflow: build.yml }`). */
const pipelineBase = {
  /** The CI system that runs it (a CI module's name). */
  provider: z.string().default('local'),
  repository: id,
  timeout: duration.default(15 * 60 * 1000),
  /** The local runner's steps. */
  steps: z.array(step).default([]),
  /** JUnit XML files the steps write, relative to the workspace (globs allowed). */
  junit: z.array(z.string()).default([]),
  /** SARIF 2.1.0 logs the steps write (scanners' findings), relative to the workspace (globs allowed). */
  sarif: z.array(z.string()).default([]),
  env: z.record(z.string(), z.string()).default({}),
};

const command = z.strictObject({ pipeline: id });
const testCommand = command.extend({
  suites: z.array(id).default([]),
  defaultSuite: id.optional(),
});

/** Who must approve a command to an environment before it runs. */
const approvalRule = z.strictObject({
  count: z.number().int().min(1).max(10).default(1),
  roles: oneOrMany(id),
  /** Commands that need it, of those that change an environment (default: deploy). */
  commands: oneOrMany(id).default(['deploy']),
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

const locks = z
  .strictObject({
    /** The longest a lock may be taken for with `--for` (a lock without `--for` lasts until unlocked). */
    maxDuration: duration.default(7 * 24 * 60 * 60 * 1000),
  })
  .prefault({});

const audit = z
  .strictObject({
    /**
     * The key entries are chained with (HMAC-SHA-256), kept outside the database: written as
     * `${file:…}` or `${vault:…}`, or left out to read DECKHAND_AUDIT_KEY. At least 32 characters.
     */
    key: z.string().min(32, 'an audit key has at least 32 characters (e.g. 64 hex digits)').optional(),
    checkpoints: z
      .strictObject({
        /** Anchor the chain's head outside the database (on by default). */
        enabled: z.boolean().default(true),
        /** JSON lines, one per checkpoint; default `<dataDir>/audit-checkpoints.jsonl`. */
        file: z.string().optional(),
        /** How often, while entries arrive (and at shutdown). */
        every: duration.default(60_000),
        /** Also post each checkpoint to this channel (a name under `channels`). */
        channel: z.string().optional(),
      })
      .prefault({}),
  })
  .prefault({});

/** Security findings from scanners (SARIF uploads and CI runs, Snyk): what reaches the `security` channels. */
const security = z
  .strictObject({
    /** Findings below this severity are not told. */
    minSeverity: z.enum(['low', 'medium', 'high', 'critical']).default('high'),
    /** How many findings one message lists before "and N more". */
    maxListed: z.number().int().min(1).max(50).default(10),
    /** Largest SARIF upload to `POST /webhooks/sarif`, compressed or not, in bytes (at most 50 MiB). */
    sarifBodyLimit: z
      .number()
      .int()
      .min(1024)
      .max(50 * 1024 * 1024)
      .default(10 * 1024 * 1024),
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

/** Each CI system's schema for one part of the config, optional under its name. */
const partsOf = (ci: Record<string, CiConfigParts>, part: keyof CiConfigParts) =>
  Object.fromEntries(
    Object.entries(ci).flatMap(([name, parts]) => {
      const schema = parts[part];
      return schema ? [[name, schema.optional()]] : [];
    }),
  ) as Record<string, z.ZodOptional<z.ZodType>>;

/** The sections every deckhand has; modules add theirs (see ConfigExtensions). */
export function baseShape(ci: Record<string, CiConfigParts>) {
  return {
    server,
    database,
    repositories: z
      .record(id, z.strictObject({ ...repositoryBase, ...partsOf(ci, 'repository') }))
      .default({}),
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
    pipelines: z.record(id, z.strictObject({ ...pipelineBase, ...partsOf(ci, 'pipeline') })).default({}),
    environments: z.array(environment).default([]),
    notifications: z.array(route).default([]),
    runner,
    /** Connections to CI systems, by name; every secret also comes from its conventional variable. */
    providers: z.strictObject(partsOf(ci, 'connection')).prefault({}),
    policy: z
      .strictObject({
        /**
         * Everyone listed under people may run every command, whatever the roles grant: for a local
         * demo only. Off: what no role grants is refused (commands that only read run for everyone
         * while no role grants anything).
         */
        allowEveryone: z.boolean().default(false),
        channels: z.array(channelRule).default([]),
      })
      .prefault({}),
    approvals,
    confirmations,
    locks,
    audit,
    freezes: z.array(freezeSchema).default([]),
    security,
    deployments: deploymentsSchema,
    runbooks: runbooksSchema,
    /** Alerts become incidents: where their cards go, who is invited and paged. */
    incidents: incidentsSchema.optional(),
    oncall: oncallSchema,
  };
}

const typing = z.strictObject(baseShape({}));
type Parsed = z.output<typeof typing>;

/** A validated config; sections and keys that modules declare are not typed here (their modules read them). */
export type Config = Omit<Parsed, 'pipelines' | 'repositories' | 'providers'> & {
  pipelines: Record<string, PipelineConfig>;
  repositories: Record<string, RepositoryConfig>;
  providers: Record<string, unknown>;
};
export type PipelineConfig = Parsed['pipelines'][string] & { readonly [system: string]: unknown };
export type RepositoryConfig = Parsed['repositories'][string] & { readonly [system: string]: unknown };
export type StepConfig = PipelineConfig['steps'][number];
export type RouteConfig = Config['notifications'][number];
export type Person = Config['people'][number];
export type EnvironmentConfig = Config['environments'][number];
