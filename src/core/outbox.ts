/**
 * The outbox worker: every outgoing chat message is stored first, then delivered in order per
 * channel, with retries, Retry-After and coalesced updates. A restart loses nothing.
 */
import { type Message, statusEmoji } from './messages.ts';
import { type ChatAddress, type ChatSender, type Clock, DeliveryError, systemClock } from './ports.ts';
import type { Redactor } from './redact.ts';
import type { NewOutboxItem, OutboxItem, OutboxStore } from './store.ts';

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface OutboxOptions {
  store: OutboxStore;
  /** This process's name on what it claims (leases). */
  owner?: string;
  /** How long a claim on a message being sent lasts (default 5 minutes). */
  leaseMs?: number;
  senders: ReadonlyMap<string, ChatSender>;
  logger: Logger;
  clock?: Clock;
  /** Give up after this many attempts (default 25). */
  maxAttempts?: number;
  /** Masks secrets in every message before it is stored. */
  redactor?: Redactor;
  /** Told about every message given up on, so someone waiting can hear why. */
  onDropped?: (item: OutboxItem, reason: string) => Promise<void> | void;
  /**
   * Test only (the crash tests' fault-injection point): called once the platform has accepted a
   * message and before the outbox records it; `posted` is false for an update in place.
   */
  afterSend?: (item: OutboxItem, posted: boolean) => void;
}

/** What one delivery attempt got to: a post that failed after it was asked for may be there all the same. */
interface Attempt {
  posting: boolean;
  posted: boolean;
}

/**
 * A sender whose platform limits how often one channel may be written to. Updates and thread
 * replies then wait until `coalesceMs` after the channel's last call, and later states of the
 * same message (and later replies in the same thread) fold into the waiting one: a burst of
 * progress costs one call, however many jobs reported.
 */
export interface PacedSender extends ChatSender {
  readonly coalesceMs?: number;
}

/** How long a channel that answered Retry-After keeps being paced after its last call. */
const paceMemoryMs = 60_000;

/** Thread replies folded into one message stay below this (Slack's section text holds 3000). */
export const foldedReplyLimit = 2800;

const severity: Record<string, number> = { failed: 6, error: 5, cancelled: 4, warning: 3, running: 2 };

/**
 * Two thread replies waiting together, as one message: each one's status, header and text in
 * order. Undefined when either has buttons or the result would grow past `limit` characters.
 */
export function foldReplies(first: Message, next: Message, limit = foldedReplyLimit): Message | undefined {
  if (first.buttons?.length || next.buttons?.length || first.fields?.length || next.fields?.length)
    return undefined;
  const part = (m: Message) =>
    [m.header && `${m.status ? `${statusEmoji[m.status]} ` : ''}${m.header}`, m.text]
      .filter(Boolean)
      .join('\n');
  const text = `${part(first)}\n${part(next)}`;
  if (text.length > limit) return undefined;
  const rank = (m: Message) => severity[m.status ?? ''] ?? 1;
  const folded: Message = { status: rank(next) > rank(first) ? next.status : first.status, text };
  const context = [...new Set([...(first.context ?? []), ...(next.context ?? [])])];
  if (context.length) folded.context = context;
  const link = next.link ?? first.link;
  if (link) folded.link = link;
  return folded;
}

/** Backoff for errors that carry no Retry-After: 1 s, 2 s, 4 s… capped at 5 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(300_000, 1000 * 2 ** Math.min(attempts, 9));
}

export class Outbox {
  private draining = false;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private idle: Promise<void> = Promise.resolve();
  private readonly clock: Clock;
  /** Per channel: when its last call ended, and the spacing it asked for with Retry-After. */
  private readonly channels = new Map<string, { lastAt: number; paceMs: number }>();
  /** Channels whose oldest item was not due at the last drain, and when it will be. */
  private waiting = new Map<string, number>();

  constructor(private readonly options: OutboxOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** Stores messages for delivery and wakes the worker. */
  async enqueue(items: NewOutboxItem[]): Promise<void> {
    if (items.length === 0) return;
    const { redactor } = this.options;
    const safe = redactor
      ? items.map((item) => ({ ...item, message: redactor.redactValue(item.message) }))
      : items;
    await this.options.store.enqueue(safe, this.clock.now());
    // Messages for channels whose next message is waiting (paced, or for a Retry-After) can only
    // go after it: the timer set for it will find them, no need to look now.
    const now = this.clock.now().getTime();
    if (items.every((item) => (this.waiting.get(channelOf(item)) ?? 0) > now)) return;
    this.wake();
  }

  start(): void {
    this.stopped = false;
    this.wake();
  }

  /** Stops scheduling and waits for deliveries under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.idle;
  }

  get running(): boolean {
    return !this.stopped;
  }

  /** Resolves when nothing deliverable is pending (for tests and graceful shutdown). */
  async settle(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      await this.idle;
      const { pending } = await this.options.store.counts();
      if (pending === 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  wake(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = true;
    this.idle = this.drain().finally(() => {
      this.draining = false;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      const pending = await this.options.store.pending(1000, this.clock.now());
      const now = this.clock.now().getTime();
      // Per channel only the oldest item may go, so each channel keeps its order.
      const heads = new Map<string, OutboxItem>();
      for (const item of pending) {
        const channel = channelOf(item);
        if (!heads.has(channel)) heads.set(channel, item);
      }
      const due: OutboxItem[] = [];
      const waiting = new Map<string, number>();
      let next = Number.POSITIVE_INFINITY;
      for (const [channel, item] of heads) {
        const at = this.dueAt(item, now);
        if (at <= now) due.push(item);
        else {
          waiting.set(channel, at);
          next = Math.min(next, at);
        }
      }
      this.waiting = waiting;
      const until = new Date(now + (this.options.leaseMs ?? 300_000));
      const owner = this.options.owner ?? 'deckhand';
      const claimed = await this.options.store.claim(
        due.map((item) => item.id),
        { owner, until },
        this.clock.now(),
      );
      await Promise.all(claimed.map((item) => this.deliver(item)));
      if (due.length > 0) this.again = true;
      else if (next < Number.POSITIVE_INFINITY) this.scheduleIn(next - now);
      this.forget(now);
    } catch (error) {
      this.options.logger.error({ err: error }, 'outbox drain failed');
      this.scheduleIn(1000);
    }
  }

  /**
   * When an item may go: its own retry time, and for a channel that was just written to, the
   * spacing the platform asked for (Retry-After) or declares for updates and thread replies.
   */
  private dueAt(item: OutboxItem, now: number): number {
    const at = item.nextAttemptAt.getTime();
    const channel = this.channels.get(channelOf(item));
    if (!channel) return at;
    const sender = this.options.senders.get(item.platform) as PacedSender | undefined;
    const foldable = item.op === 'update' || item.threadKey !== undefined;
    const pace = now - channel.lastAt < paceMemoryMs ? channel.paceMs : 0;
    const gap = Math.max(pace, foldable ? (sender?.coalesceMs ?? 0) : 0);
    return Math.max(at, channel.lastAt + gap);
  }

  /** Records a call to a channel; a Retry-After paces the channel's next calls too. */
  private called(item: OutboxItem, retryAfterMs?: number): void {
    const key = channelOf(item);
    const before = this.channels.get(key);
    const now = this.clock.now().getTime();
    const paced = before && now - before.lastAt < paceMemoryMs ? before.paceMs : 0;
    this.channels.set(key, { lastAt: now, paceMs: retryAfterMs ?? paced });
  }

  /** Forgets channels idle for longer than any spacing lasts. */
  private forget(now: number): void {
    if (this.channels.size < 1000) return;
    for (const [key, c] of this.channels) if (now - c.lastAt > paceMemoryMs) this.channels.delete(key);
  }

  private scheduleIn(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), Math.min(ms, 60_000));
    this.timer.unref();
  }

  private async deliver(item: OutboxItem): Promise<void> {
    const { store, senders, logger } = this.options;
    const sender = senders.get(item.platform);
    if (!sender) {
      await store.failed(item.id, `no chat adapter for platform "${item.platform}" is running`);
      return;
    }
    const attempt: Attempt = { posting: false, posted: false };
    try {
      let ref: Awaited<ReturnType<Outbox['send']>>;
      try {
        ref = await this.send(sender, item, attempt);
      } finally {
        this.called(item);
      }
      this.options.afterSend?.(item, attempt.posted);
      await store.delivered(item.id, this.clock.now(), ref);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const log = {
        platform: item.platform,
        channel: item.channel,
        outbox: item.id,
        attempts: item.attempts + 1,
      };
      if (error instanceof DeliveryError && error.permanent) {
        logger.error({ ...log, error: message }, 'message dropped: the platform refused it');
        await store.failed(item.id, message);
        await this.dropped(item, message);
      } else if (item.attempts + 1 >= (this.options.maxAttempts ?? 25)) {
        logger.error({ ...log, error: message }, 'message dropped after too many attempts');
        await store.failed(item.id, message);
        await this.dropped(item, message);
      } else {
        const retryAfter =
          error instanceof DeliveryError && error.retryAfterMs !== undefined ? error.retryAfterMs : undefined;
        if (retryAfter !== undefined) this.called(item, retryAfter);
        const wait = retryAfter ?? backoffMs(item.attempts);
        logger.warn({ ...log, error: message, retryInMs: wait }, 'message delivery will be retried');
        // A post that failed without a rate limit's refusal (a timeout, a 5xx) may have gone out.
        const inDoubt = attempt.posting && retryAfter === undefined;
        await store.retry(item.id, new Date(this.clock.now().getTime() + wait), message, inDoubt);
      }
    }
  }

  private async dropped(item: OutboxItem, reason: string): Promise<void> {
    try {
      await this.options.onDropped?.(item, reason);
    } catch (error) {
      this.options.logger.error({ err: error, outbox: item.id }, 'could not report a dropped message');
    }
  }

  private async send(
    sender: ChatSender,
    item: OutboxItem,
    attempt: Attempt,
  ): Promise<{ key: string; messageId: string } | undefined> {
    const { store } = this.options;
    const address = { channel: item.channel };
    if (item.op === 'update' && item.key) {
      const existing = await store.ref(item.platform, item.channel, item.key);
      if (existing && sender.update && sender.capabilities.updates) {
        await sender.update(address, existing, item.message);
        return undefined;
      }
      if (existing) {
        // No in-place updates on this platform: the new state goes into the thread instead.
        const threadId = sender.capabilities.threads ? existing : undefined;
        await this.postOnce(sender, item, { ...address, threadId }, attempt);
        return undefined;
      }
      // Not posted yet (or the post was refused): an update is an upsert, so post it now.
      return { key: item.key, messageId: await this.postOnce(sender, item, address, attempt) };
    }
    let threadId: string | undefined;
    if (sender.capabilities.threads && item.threadKey)
      threadId = await store.ref(item.platform, item.channel, item.threadKey);
    else if (sender.capabilities.threads) threadId = item.threadId;
    const messageId = await this.postOnce(sender, item, { ...address, threadId }, attempt);
    return item.key ? { key: item.key, messageId } : undefined;
  }

  /**
   * Posts under the item's own key. One that may have gone out already (in flight at a crash, or
   * a post that failed without a refusal) is looked up first, where the platform can; only such
   * an item is looked up, never an ordinary post.
   */
  private async postOnce(sender: ChatSender, item: OutboxItem, where: ChatAddress, attempt: Attempt) {
    const key = `outbox:${item.id}`;
    const earlier = item.uncertain ? await this.lookUp(sender, item, where, key) : undefined;
    if (earlier !== undefined) return earlier;
    attempt.posting = true;
    const answer = item.answer === undefined ? {} : { answer: item.answer };
    const { messageId } = await sender.post(where, item.message, { key, ...answer });
    attempt.posted = true;
    return messageId;
  }

  /**
   * The post made earlier under `key`. A platform that refuses the lookup for good (a missing
   * scope) cannot say: the message is posted again, where it may show twice, and the log says why.
   */
  private async lookUp(sender: ChatSender, item: OutboxItem, where: ChatAddress, key: string) {
    if (!sender.find) return undefined;
    try {
      return await sender.find(where, key, item.claimedAt);
    } catch (error) {
      if (!(error instanceof DeliveryError) || !error.permanent) throw error;
      this.options.logger.warn(
        { platform: item.platform, channel: item.channel, outbox: item.id, error: error.message },
        'could not look for a message that may have been sent before a crash; posting it again (it may show twice)',
      );
      return undefined;
    }
  }
}

const channelOf = (item: { platform: string; channel: string }) => `${item.platform}\u0000${item.channel}`;
