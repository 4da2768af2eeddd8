/** What every CI adapter folder exports: a provider for the core, and its verified webhook. */
import type { FastifyPluginAsync } from 'fastify';
import type { LoadedConfig } from '../config/load.ts';
import type { SecurityAlert } from '../core/notify/security.ts';
import type { ExternalRunSink } from '../core/pipeline-events.ts';
import type { CiProvider, Clock } from '../core/ports.ts';
import type { DedupeStore } from '../core/store.ts';
import type { InboundJournal } from '../core/update-journal.ts';

/** What an adapter gets from the process that hosts it. */
export interface CiAdapterContext {
  config: LoadedConfig;
  /** Conventional secrets (GITHUB_TOKEN…) are read from here. */
  env: Record<string, string | undefined>;
  /** Where webhook (or poll) updates go. */
  onUpdate: ExternalRunSink;
  /** Where security alerts go (only high and critical reach chat). */
  onAlert: (alert: SecurityAlert) => Promise<void>;
  dedupe: DedupeStore;
  /** Where a webhook keeps what it took in before it answers; its handler runs after. */
  journal: InboundJournal;
  logger: {
    info(o: object, m?: string): void;
    warn(o: object, m?: string): void;
    error(o: object, m?: string): void;
  };
  clock: Clock;
}

export interface CiAdapter {
  provider: CiProvider;
  /** `POST /webhooks/<provider>`, verified and deduplicated. */
  routes?: FastifyPluginAsync;
  /** Background work (e.g. polling builds that no webhook reports). */
  start?(): Promise<void>;
  stop?(): Promise<void>;
  /** Secret values this adapter holds, for the redactor. */
  secrets?: string[];
}

export type CiAdapterFactory = (context: CiAdapterContext) => CiAdapter;
