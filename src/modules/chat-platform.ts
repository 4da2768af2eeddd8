/** The contract of a chat platform module: its config section, secrets, routes or connections, and sender. */
import type { Command } from 'commander';
import type { FastifyPluginAsync } from 'fastify';
import type { z } from 'zod';
import type { ConfigIssue } from '../config/extensions.ts';
import type { LoadedConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import type { Intake } from '../core/intake.ts';
import type { ChatSender, Clock } from '../core/ports.ts';
import type { DedupeStore, TranscriptStore } from '../core/store.ts';
import type { Env, ModuleLogger } from './common.ts';

/** What the process hands a platform when it builds it. */
export interface ChatPlatformContext<Section> {
  /** Its section of the config, as its schema gave it (undefined when absent). */
  section: Section | undefined;
  config: LoadedConfig;
  env: Env;
  /** Where verified commands, clicks and events go: recorded before the platform hears back. */
  intake: Intake;
  stores: { dedupe: DedupeStore; transcript: TranscriptStore };
  /** The command families' root words (`ci`…), the first being the default. */
  roots: readonly string[];
  logger: ModuleLogger;
  clock: Clock;
}

/** A running platform: its sender for the outbox, and how requests reach it. */
export interface ChatPlatform {
  /** Posts and updates messages; its optional members are the platform's capabilities. */
  sender: ChatSender;
  /** HTTP endpoints, mounted at the root. */
  routes?: FastifyPluginAsync;
  /** Opens connections (e.g. Socket Mode) once deckhand's workers run. */
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

export interface ChatPlatformModule<Section = unknown> {
  /** Its name in `channels.<id>.<name>`, `people[].chat.<name>`, the outbox and the audit log. */
  readonly name: string;
  /** Its section of deckhand.yaml, named like the platform (optional, or with a default). */
  readonly config?: {
    schema: z.ZodType<Section | undefined>;
    /** Checks against the rest of the config (e.g. roles its groups grant exist). */
    check?(section: Section | undefined, config: Config, issue: ConfigIssue): void;
  };
  /** Whether the config runs it. */
  enabled(section: Section | undefined): boolean;
  /** A configured channel with no address on this platform is addressed by its id (the web chat). */
  readonly channelsById?: boolean;
  /** Environment variables holding its secrets, masked wherever they would leave deckhand. */
  readonly secretVariables?: readonly string[];
  /** Secret values in its section (tokens written into the config). */
  secrets?(section: Section | undefined): string[];
  /** Builds it; its SDKs are imported here, so a platform not configured costs nothing. */
  create(context: ChatPlatformContext<Section>): Promise<ChatPlatform>;
  /** Its subcommands of the command line (`deckhand slack manifest`). */
  cli?(context: CliContext): Command;
}

/** What a module's subcommands get from the command line. */
export interface CliContext {
  /** The `--config FILE` option every subcommand takes. */
  configOption: readonly [string, string];
  /** Loads a config file with every module's sections. */
  loadConfig(file: string, env: Env): Promise<LoadedConfig>;
  /** The command families: root words and what each is for. */
  families: readonly { root: string; summary: string; commands: readonly string[] }[];
}

/** Declares a chat platform module with its section's type. */
export function defineChatPlatform<Section>(
  module: ChatPlatformModule<Section>,
): ChatPlatformModule<Section> {
  return module;
}
