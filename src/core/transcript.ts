/** The chat messages deckhand keeps itself, for a platform with no server of its own (the web chat). */

/** Who wrote a kept chat message. */
export interface TranscriptAuthor {
  id: string;
  name: string;
  bot: boolean;
}

/** A chat message deckhand keeps itself, for a platform with no server of its own (the web chat). */
export interface TranscriptMessage {
  id: number;
  channel: string;
  /** Id of the top-level message this replies to. */
  threadId: string | null;
  author: TranscriptAuthor;
  /** JSON. */
  body: string;
  createdAt: string;
  updatedAt: string | null;
}

/** Which messages to list: a channel's top level, or one thread's replies. */
export interface TranscriptQuery {
  channel: string;
  /** Parent message id; lists that thread's replies instead of the top level. */
  thread?: string;
  /** Only messages with a larger id, oldest first. */
  after?: number;
  limit: number;
}

/** Messages kept for a chat platform deckhand serves itself. */
export interface TranscriptStore {
  /**
   * Keeps a message. With a `key` kept before, returns that message instead: a post repeated
   * after a crash is kept once.
   */
  insert(
    message: Omit<TranscriptMessage, 'id' | 'createdAt' | 'updatedAt'> & { key?: string },
    at: Date,
  ): Promise<TranscriptMessage>;
  /** Replaces the body; undefined when the id is unknown. */
  updateBody(id: number, body: string, at: Date): Promise<TranscriptMessage | undefined>;
  get(id: number): Promise<TranscriptMessage | undefined>;
  list(query: TranscriptQuery): Promise<TranscriptMessage[]>;
  /** Reply counts of the given top-level messages, keyed by their id as a string. */
  replyCounts(ids: number[]): Promise<Map<string, number>>;
  /** Every channel that holds at least one message, sorted. */
  channels(): Promise<string[]>;
}
