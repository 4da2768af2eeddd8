/** The contract of a CI system module: its config parts, secrets, provider, webhook and workers. */
import type { FastifyPluginAsync } from 'fastify';
import type { CiConfigParts, ConfigIssue } from '../config/extensions.ts';
import type { LoadedConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import type { Intake } from '../core/intake.ts';
import type { SecurityAlert } from '../core/notify/security.ts';
import type { ExternalRunSink } from '../core/pipeline-events.ts';
import type { CiProvider, Clock, PipelineEventSink } from '../core/ports.ts';
import type { Redactor } from '../core/redact.ts';
import type { DedupeStore } from '../core/store.ts';
import type { Env, ModuleLogger } from './common.ts';
import type { Connection } from './connection.ts';

/** What a CI system gets from the process that hosts it. */
export interface CiSystemContext {
  config: LoadedConfig;
  /** Conventional secrets (GITHUB_TOKEN…) are read from here. */
  env: Env;
  /** Events of runs it executes itself, as they happen (the local runner). */
  onEvent: PipelineEventSink;
  /** Where an update found outside a recorded delivery goes (a poll): recorded, then applied in order. */
  onUpdate: ExternalRunSink;
  /** Applies an update now, from a recorded delivery's handler (the record already stands for it). */
  apply: ExternalRunSink;
  /** Where security alerts go (only high and critical reach chat). */
  onAlert: (alert: SecurityAlert) => Promise<void>;
  dedupe: DedupeStore;
  /** Where its webhook records a delivery before answering; the handler it registers runs after. */
  intake: Pick<Intake, 'record' | 'handle'>;
  logger: ModuleLogger;
  clock: Clock;
  /** Masks secrets in what it keeps (the local runner's step logs). */
  redactor: Pick<Redactor, 'redact' | 'secrets'>;
}

/** A running CI system. */
export interface CiSystem {
  provider: CiProvider;
  /** `POST /webhooks/<name>`, verified, recorded, answered. */
  routes?: FastifyPluginAsync;
  /** Background work (e.g. polling builds that no webhook reports); it must not wait on the outside world. */
  start?(): Promise<void>;
  stop?(): Promise<void>;
  /** Its link to the CI system's API, opened and retried in the background. */
  connection?: Connection;
  /** Secret values it holds, for the redactor. */
  secrets?: string[];
}

/** Builds a running CI system (tests pass their own, with other options). */
export type CiSystemFactory = (context: CiSystemContext) => CiSystem;

export interface CiSystemModule {
  /** What pipelines name in `provider:`, and its key in `providers:`, `pipelines.*`, `repositories.*`. */
  readonly name: string;
  readonly config?: CiConfigParts & {
    /** Checks across the config (e.g. its pipelines name a repository it knows). */
    check?(config: Config, issue: ConfigIssue): void;
  };
  /** Whether its runs go on while deckhand is down (a hosted CI reports back); local runs end with it. */
  readonly runsOutliveDeckhand: boolean;
  /** Environment variables holding its secrets, masked wherever they would leave deckhand. */
  readonly secretVariables?: readonly string[];
  /**
   * Every credential it needs that is missing or malformed, one sentence each naming the variable
   * (or key) and the shape it expects, never the value; `start` refuses to run while any is listed.
   */
  credentials?(config: LoadedConfig, env: Env): string[];
  /** Builds it; its SDKs are imported here, so a system not configured costs nothing. */
  create(context: CiSystemContext): Promise<CiSystem>;
}
