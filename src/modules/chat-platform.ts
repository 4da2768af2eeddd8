/** The contract of a chat platform module: its config section, secrets, routes or connections, and sender. */
import type { Command } from 'commander';
import type { FastifyPluginAsync } from 'fastify';
import type { z } from 'zod';
import type { ConfigIssue } from '../config/extensions.ts';
import type { LoadedConfig } from '../config/load.ts';
import type { Config } from '../config/schema.ts';
import type { Command as CommandSpec } from '../core/commands/types.ts';
import type { ConversationStore } from '../core/conversations.ts';
import type { CommandFamily } from '../core/family.ts';
import type { Intake } from '../core/intake.ts';
import type { ChatSender, Clock } from '../core/ports.ts';
import type { DedupeStore, DeferredAnswerStore, TranscriptStore } from '../core/store.ts';
import type { Env, ModuleLogger } from './common.ts';
import type { Connection } from './connection.ts';

/** What the process hands a platform when it builds it. */
export interface ChatPlatformContext<Section> {
  /** Its section of the config, as its schema gave it (undefined when absent). */
  section: Section | undefined;
  config: LoadedConfig;
  env: Env;
  /** Where verified commands, clicks and events go: recorded before the platform hears back. */
  intake: Intake;
  stores: {
    dedupe: DedupeStore;
    transcript: TranscriptStore;
    conversations: ConversationStore;
    deferredAnswers?: DeferredAnswerStore;
  };
  /** The command families' root words (`ci`…), the first being the default. */
  roots: readonly string[];
  /** The command families with their commands' arguments (for platforms that declare commands). */
  families: readonly FamilyShape[];
  logger: ModuleLogger;
  clock: Clock;
}

/** A running platform: its sender for the outbox, and how requests reach it. */
export interface ChatPlatform {
  /** Posts and updates messages; its optional members are the platform's capabilities. */
  sender: ChatSender;
  /** HTTP endpoints, mounted at the root. */
  routes?: FastifyPluginAsync;
  /** Background work once deckhand's workers run; it must not wait on the outside world. */
  start?(): Promise<void>;
  stop?(): Promise<void>;
  /** Its link to the platform (Socket Mode, or the API it posts to), opened and retried in the background. */
  connection?: Connection;
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
  /**
   * Every credential it needs that is missing or malformed, one sentence each naming the variable
   * (or key) and the shape it expects, never the value; `start` refuses to run while any is listed.
   */
  credentials?(section: Section | undefined, env: Env, config: LoadedConfig): string[];
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
  /** The command families: root words, what each is for, their commands. */
  families: readonly FamilyShape[];
}

/** A command as a platform sees it: its name, summary, arguments and flags. */
export type CommandShape = Pick<CommandSpec<never>, 'name' | 'summary' | 'args' | 'flags'>;

/** A command family as a platform sees it. */
export interface FamilyShape {
  root: string;
  summary: string;
  /** Its commands' names. */
  commands: readonly string[];
  specs: readonly CommandShape[];
}

/** The families' shapes, for platform contexts and the command line. */
export function familyShapes(families: readonly CommandFamily[]): FamilyShape[] {
  return families.map((f) => ({
    root: f.root,
    summary: f.summary,
    commands: f.commands.map((c) => c.name),
    specs: f.commands.map(({ name, summary, args, flags }) => ({ name, summary, args, flags })),
  }));
}

/** Declares a chat platform module with its section's type. */
export function defineChatPlatform<Section>(
  module: ChatPlatformModule<Section>,
): ChatPlatformModule<Section> {
  return module;
}
