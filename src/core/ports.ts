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

/** A CI system that runs pipelines. */
export interface CiProvider {
  /** Provider name, e.g. `local`. */
  readonly name: string;
  /** Starts a run; events arrive later through the sink the provider was built with. */
  trigger(spec: RunSpec): Promise<void>;
  /** Cancels a run; false when it was not running. */
  cancel(runId: number): Promise<boolean>;
  /** Branch names of the pipeline's repository, for validation and suggestions. */
  listBranches(pipeline: string): Promise<string[]>;
  /** Whether a tag or commit exists in the pipeline's repository. */
  hasRef?(pipeline: string, ref: string): Promise<boolean>;
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

/** The outbound side of a chat platform. `post` is required; the rest are optional capabilities. */
export interface ChatSender {
  readonly platform: string;
  /** Posts a message; returns the platform's id for later updates and threads. */
  post(address: ChatAddress, message: Message): Promise<{ messageId: string }>;
  /** Replaces a message in place. Without it, updates are posted as thread replies. */
  update?(address: ChatAddress, messageId: string, message: Message): Promise<void>;
  /** Whether replies can be threaded under a parent message. */
  readonly threads?: boolean;
}

/** Time, injected so tests can move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
