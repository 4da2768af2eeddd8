/** A chat sender that records what it is asked to do and can be told to fail. */
import pino from 'pino';
import type { Message } from '../../src/core/messages.ts';
import { type ChatAddress, type ChatSender, DeliveryError, plainChat } from '../../src/core/ports.ts';

export interface Sent {
  op: 'post' | 'update';
  channel: string;
  threadId?: string;
  messageId: string;
  message: Message;
}

export class RecordingSender implements ChatSender {
  readonly capabilities = { ...plainChat, threads: true, updates: true };
  readonly sent: Sent[] = [];
  /** Return an error to throw for this call, or undefined to deliver. */
  failWith: (call: { op: 'post' | 'update'; address: ChatAddress; message: Message }) => Error | undefined =
    () => undefined;
  private next = 1;

  constructor(readonly platform = 'test') {}

  async post(address: ChatAddress, message: Message): Promise<{ messageId: string }> {
    const error = this.failWith({ op: 'post', address, message });
    if (error) throw error;
    const messageId = `m${this.next++}`;
    this.sent.push({ op: 'post', channel: address.channel, threadId: address.threadId, messageId, message });
    return { messageId };
  }

  async update(address: ChatAddress, messageId: string, message: Message): Promise<void> {
    const error = this.failWith({ op: 'update', address, message });
    if (error) throw error;
    if (!this.sent.some((s) => s.messageId === messageId))
      throw new DeliveryError('message_not_found', undefined, true);
    this.sent.push({ op: 'update', channel: address.channel, messageId, message });
  }
}

/** Waits until `check` passes or the deadline expires (then throws with `what`). */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

export const quietLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A pino logger that writes nothing, for deckhands built in tests. */
export const silentLogger = () => pino({ level: 'silent' });
