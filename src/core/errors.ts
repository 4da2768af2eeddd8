/** An error whose message is written for the person in chat: what failed, why, what to do next. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
