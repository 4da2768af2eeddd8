/** What assembling deckhand takes and gives: its options and the running process's parts. */
import type { FastifyInstance } from 'fastify';
import type { DestinationStream, Logger as PinoLogger } from 'pino';
import type { LoadedConfig } from '../config/load.ts';
import type { Core } from '../core/core.ts';
import type { ExternalRuns } from '../core/external-runs.ts';
import type { IntakeService } from '../core/intake-service.ts';
import type { Notifier } from '../core/notify/notifier.ts';
import type { OnCall } from '../core/oncall/types.ts';
import type { Outbox } from '../core/outbox.ts';
import type { CiProvider, Clock } from '../core/ports.ts';
import type { RunbookService } from '../core/runbooks/executor.ts';
import type { RunService } from '../core/runs.ts';
import type { Stores } from '../core/store.ts';
import type { DeckhandModules, OpenStore } from '../modules/index.ts';
import type { Backoff } from './connections.ts';
import type { IncidentParts } from './incidents.ts';
import type { ReloadResult } from './reload.ts';

export interface DeckhandOptions {
  config: LoadedConfig;
  /** The modules to build from (the built-in list by default). */
  modules?: DeckhandModules;
  logger?: PinoLogger;
  clock?: Clock;
  /** Where conventional secrets (SLACK_BOT_TOKEN…) are read; the process environment by default. */
  env?: Record<string, string | undefined>;
  /** Where logs go when deckhand makes its own logger (default: stdout). */
  logStream?: DestinationStream;
  /** How a reload reads the config again (default: the same file, with the same environment). */
  reloadConfig?: () => Promise<LoadedConfig>;
  /** Between attempts to reach a platform or CI system (default 1 s doubling to 60 s, jittered). */
  connectBackoff?: Backoff;
  /** Who is on call and whom escalation pages, for incidents (none: nobody is invited or paged). */
  oncall?: OnCall;
}

export interface Deckhand {
  app: FastifyInstance;
  logger: PinoLogger;
  /** The open database (through its store driver). */
  store: OpenStore;
  stores: Stores;
  core: Core;
  runs: RunService;
  /** `/ops` runbook executions. */
  runbooks: RunbookService;
  /** Incidents and their escalation, when the config has an `incidents:` section. */
  incidents?: IncidentParts;
  /** Runs reported by CI systems, matched to deckhand's or recorded as new. */
  external: ExternalRuns;
  notifier: Notifier;
  outbox: Outbox;
  /** Who is on call (from `oncall:`; a reload applies a changed section at once). */
  oncall: OnCall;
  providers: Map<string, CiProvider>;
  /** Everything deckhand acknowledges goes in here first. */
  intake: IntakeService;
  /** Resolves once everything taken in so far is handled (commands, clicks, CI deliveries and updates). */
  handled(): Promise<void>;
  /** Reads the config again and applies people, roles, policy and gates (SIGHUP); audited. */
  reload(): Promise<ReloadResult>;
  /** Starts workers and listens; returns the address. */
  listen(port?: number, host?: string): Promise<string>;
  /** Starts workers without listening (for `app.inject` tests). */
  startWorkers(): Promise<void>;
  close(): Promise<void>;
}
