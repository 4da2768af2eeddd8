/** Narrow interfaces the core declares and the edges implement. The core imports no edge. */
import type { Message } from './messages.ts';
import type { PipelineEvent, RunKind } from './pipeline-events.ts';

/** What to run: one pipeline at one ref, with the user's values as plain parameters. */
export interface RunSpec {
  runId: number;
  kind: RunKind;
  pipeline: string;
  /** Branch, tag or commit to check out. */
  ref: string;
  /** User-supplied values; providers pass them as environment variables or inputs, never as code. */
  params: Record<string, string>;
}

/** Receives pipeline events from a provider (local callbacks or verified webhooks). */
export type PipelineEventSink = (event: PipelineEvent) => void | Promise<void>;

/** What a CI system says about a run it accepted. */
export interface TriggerResult {
  /** The system's own id for the run (GitHub run id, GitLab pipeline id, Jenkins build…). */
  externalId?: string;
  /** Where people can watch it. */
  url?: string;
}

/** The end of a job's log, already bounded. */
export interface LogTail {
  text: string;
  /** The full log. */
  url?: string;
}

/** The commits between two refs of a pipeline's repository, and where to see the diff. */
export interface Comparison {
  /** Newest first, at most the provider's page (the core shows a few). */
  commits: { sha: string; message: string; author?: string }[];
  /** How many commits the range holds in all. */
  total: number;
  /** A compare / diff page on the CI or code host, where it has one. */
  url?: string;
}

/** A CI system that runs pipelines. Optional members are capabilities the core checks for. */
export interface CiProvider {
  /** Provider name, e.g. `local`, `github`. */
  readonly name: string;
  /**
   * Starts a run; progress arrives later through the sink the provider was built with.
   * Throws `ProviderError` (one sentence) when the system is unreachable or refuses.
   */
  trigger(spec: RunSpec): Promise<TriggerResult | undefined>;
  /** Cancels a run; false when it was not running. */
  cancel(runId: number, externalId?: string): Promise<boolean>;
  /** Reruns the failed jobs of a run in place. */
  rerun?(runId: number, externalId: string): Promise<boolean>;
  /** The end of a job's log (the failed one when `job` is omitted). */
  logTail?(runId: number, externalId: string, job?: string): Promise<LogTail | undefined>;
  /** Branch names of the pipeline's repository, for validation and suggestions. */
  listBranches(pipeline: string): Promise<string[]>;
  /** Whether a tag or commit exists in the pipeline's repository. */
  hasRef?(pipeline: string, ref: string): Promise<boolean>;
  /** Commits in `from..to` (what deploying `to` over `from` brings); undefined when unknown. */
  compare?(pipeline: string, from: string, to: string): Promise<Comparison | undefined>;
  /** The file holding a step's log, when the CI system keeps it on this machine. */
  logFile?(runId: number, stepIndex: number): string | undefined;
  /** Stops accepting work and waits for running work to stop. */
  close?(): Promise<void>;
}

/** Where a message goes on one platform. */
export interface ChatAddress {
  channel: string;
  /** Platform id of the thread's parent message. */
  threadId?: string;
}

/** A failure to deliver, with what the outbox should do about it. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    /** Retry no sooner than this many milliseconds from now. */
    readonly retryAfterMs?: number,
    /** Retrying cannot help (e.g. the channel does not exist). */
    readonly permanent = false,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/**
 * What a chat platform can do beyond posting. Where one is missing the core degrades: updates
 * are posted into the thread (or below), ephemeral answers are posted for all, a button that asks
 * for text acts without it or points at the typed command, and groups grant no roles.
 */
export interface ChatCapabilities {
  /** Replies can be threaded under a message. */
  threads: boolean;
  /** A message can be replaced in place (`update`). */
  updates: boolean;
  /** Replies only the asker sees. */
  ephemeral: boolean;
  /** Forms that ask for text (a reason to reject). */
  modals: boolean;
  /** Channels can be created (e.g. for an incident). */
  createChannels: boolean;
  /** Groups whose members get roles (Slack user groups). */
  userGroups: boolean;
}

/** The outbound side of a chat platform. `post` is required; `update` comes with that capability. */
export interface ChatSender {
  readonly platform: string;
  readonly capabilities: ChatCapabilities;
  /**
   * Posts a message; returns the platform's id for later updates and threads. `key` is deckhand's
   * own id for this post: a platform that can keeps it with the message (see `find`), or posts
   * once under it. `answer` names the command this message replies to: a platform whose request
   * waits for its answer in place (Discord's deferred interaction) may put a `final` answer there,
   * or clear that place before it posts a card or a run's reply.
   */
  post(
    address: ChatAddress,
    message: Message,
    options?: { key?: string; answer?: { origin: string; final: boolean } },
  ): Promise<{ messageId: string }>;
  /** Replaces a message in place. Without it, updates are posted as thread replies. */
  update?(address: ChatAddress, messageId: string, message: Message): Promise<void>;
  /**
   * The message posted earlier under `key`, where the platform can look it up: a post that may
   * have gone out before a crash is then not posted twice. Asked only about such a post, never
   * before an ordinary one; `since` is when it was first attempted (nothing of it is older).
   * Throws a DeliveryError when the platform cannot answer (a permanent one: it never will).
   */
  find?(address: ChatAddress, key: string, since?: Date): Promise<string | undefined>;
  /**
   * Creates a channel, or finds the one created earlier under the same name (a retried incident
   * must not open a second); comes with the `createChannels` capability.
   */
  createChannel?(channel: NewChannel): Promise<CreatedChannel>;
  /** Adds people to a channel; returns those that could not be added. */
  invite?(channel: string, members: string[]): Promise<string[]>;
}

/** A channel to create (an incident's); creating it again under the same name finds the first. */
export interface NewChannel {
  /** Lowercase letters, digits and dashes, at most 80 characters (e.g. `inc-42-api-down`). */
  name: string;
  /** One line shown with the channel where the platform has a topic or purpose. */
  topic?: string;
  /** Platform user ids to add; those that cannot be added are reported, not thrown. */
  members: string[];
}

/** What creating a channel did. */
export interface CreatedChannel {
  /** The platform's address of the new (or found) channel. */
  channel: string;
  /** Members that could not be added (unknown, deactivated, outside the team). */
  notAdded: string[];
}

/** No capability beyond posting; platforms spread this and turn on what they have. */
export const plainChat: ChatCapabilities = {
  threads: false,
  updates: false,
  ephemeral: false,
  modals: false,
  createChannels: false,
  userGroups: false,
};

/** Time, injected so tests can move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
