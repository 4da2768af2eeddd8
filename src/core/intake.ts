/**
 * The one way into deckhand for everything it acknowledges: commands, clicks, modal submissions,
 * platform events and CI deliveries. Each is recorded durably, with its deduplication key, before
 * the platform hears back, then handled from that record; a crash loses none and repeats none.
 */
import type { ActionRequest, CommandReply, CommandRequest } from './inbound.ts';

export interface IntakeOptions {
  /**
   * The platform's id for this delivery (an event id, a trigger id, a delivery GUID): a repeat is
   * reported as a duplicate and not acted on again.
   */
  once?: string;
  /**
   * Answer inline: handle it at once and resolve with the reply if it is ready within this many
   * milliseconds, else with what the ack says while the work goes on (the result follows through
   * the outbox). Without it the reply always goes through the outbox.
   */
  answerWithinMs?: number;
  /**
   * Called once the request is on disk, before it is handled: a platform that must answer
   * sooner than the reply is ready (Discord's 3 s) acknowledges then and delivers the reply later.
   * `origin` is the record's id: the reply's `answer.origin` in the outbox.
   */
  onRecorded?: (origin: string) => void;
}

/** What recording a request did: a repeat is not handled again; an inline answer carries its reply. */
export type Receipt = { duplicate: true } | { duplicate: false; reply?: CommandReply };

/** A recorded delivery for a source's handler: entries with one `key` are handled in order. */
export interface IntakeItem {
  key: string;
  /** Plain JSON, as little as the handler needs (it is redacted and kept until handled). */
  data: unknown;
}

export interface Intake {
  /** A command typed by a user. Resolves once it is on disk. */
  command(request: CommandRequest, options?: IntakeOptions): Promise<Receipt>;
  /** A button click or a modal submission. Resolves once it is on disk. */
  action(request: ActionRequest, options?: IntakeOptions): Promise<Receipt>;
  /** A delivery for `source`'s handler (a CI webhook); false when `once` was seen before. */
  record(source: string, item: IntakeItem, options?: Pick<IntakeOptions, 'once'>): Promise<boolean>;
  /** Who handles a source's records; set before deckhand starts its workers. */
  handle(source: string, handler: (data: unknown) => Promise<void>): void;
}
