/** An error whose message is written for the person in chat: what failed, why, what to do next. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** A CI system refused or could not be reached; the message says which and what to check. */
export class ProviderError extends UserError {
  constructor(
    message: string,
    /** HTTP status, when there was an answer. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/** A short id for one of deckhand's own faults: said to the user, written with the error in the log. */
export function errorId(): string {
  return globalThis.crypto.randomUUID().slice(0, 8);
}
