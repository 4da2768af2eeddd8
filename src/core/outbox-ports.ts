/**
 * The outbox's ports: messages waiting to be sent, the commands they answer, and the answers a
 * platform owes in place across a restart. Re-exported by store.ts with the other stores.
 */
import type { Message } from './messages.ts';
import type { Lease } from './types/lease.ts';

/** The command a message replies to: its intake record, and whether it is the whole answer. */
export interface ReplyTo {
  origin: string;
  /** True when nothing updates it later (not a card, not a run's reply). */
  final: boolean;
}

/** An outgoing chat message waiting in the outbox. */
export interface OutboxItem {
  id: number;
  platform: string;
  channel: string;
  op: 'post' | 'update';
  key?: string;
  threadKey?: string;
  /** Platform id of a parent message, for replies into a thread the platform named. */
  threadId?: string;
  message: Message;
  attempts: number;
  nextAttemptAt: Date;
  /** The command's reply this is (see `ChatSender.post`). */
  answer?: ReplyTo;
  /**
   * Set when it may be on the platform already: a holder whose lease ran out claimed it before (a
   * crash between the platform's answer and the record of it), or a post of it failed without the
   * platform saying it refused it. Kept until it is delivered; it is looked up before a new post.
   */
  uncertain?: boolean;
  /** When it was first claimed: nothing of it can be on the platform from before. */
  claimedAt?: Date;
}

export type NewOutboxItem = Omit<OutboxItem, 'id' | 'attempts' | 'nextAttemptAt' | 'uncertain' | 'claimedAt'>;

/**
 * Messages waiting to be sent. Several processes may share it: what one sends it claims with a
 * lease, and a post under a key is queued once however often it is asked for.
 */
export interface OutboxStore {
  /**
   * Queues items in one transaction. A pending update of the same message nobody is sending is
   * folded into; a post under a key already queued or sent is not queued again.
   */
  enqueue(items: NewOutboxItem[], at: Date): Promise<void>;
  /** The oldest pending item of each channel nobody is sending, oldest first. */
  pending(limit: number, now: Date): Promise<OutboxItem[]>;
  /** Claims items to send; returns those won (another holder may have taken some). */
  claim(ids: number[], lease: Lease, now: Date): Promise<OutboxItem[]>;
  delivered(id: number, at: Date, ref?: { key: string; messageId: string }): Promise<void>;
  /** Tries it again at `at`; `inDoubt` when the failed attempt may have posted it all the same. */
  retry(id: number, at: Date, error: string, inDoubt?: boolean): Promise<void>;
  failed(id: number, error: string): Promise<void>;
  /** The platform id of a message posted earlier under `key`. */
  ref(platform: string, channel: string, key: string): Promise<string | undefined>;
  counts(): Promise<{ pending: number; failed: number }>;
}

/**
 * Answers a chat platform owes in place, kept across a restart (Discord's deferred interactions),
 * by the intake record they answer. The platform seals its handle before it is stored.
 */
export interface DeferredAnswer {
  platform: string;
  origin: string;
  channel: string;
  sealed: string;
  /** Past this the handle is no use. */
  expiresAt: Date;
}

export interface DeferredAnswerStore {
  save(answer: DeferredAnswer, at: Date): Promise<void>;
  /** A platform's answers still usable at `now`; older ones are deleted. */
  open(platform: string, now: Date): Promise<DeferredAnswer[]>;
  remove(platform: string, origin: string): Promise<void>;
}
