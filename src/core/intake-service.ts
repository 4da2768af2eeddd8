/**
 * The intake as platforms and CI systems use it: record first (on disk, with the delivery's
 * deduplication key, in one transaction), answer after, handle from the record. Commands that
 * answer inline are handled at once by the request that brought them, their record claimed the
 * while (a read-only one's record is its audit entry); everything else is handled by the worker.
 * A crash replays what was not finished.
 */

import type { Outcome } from './commands/types.ts';
import type { Core } from './core.ts';
import type { ActionRequest, CommandReply, CommandRequest } from './inbound.ts';
import type { Intake, IntakeItem, IntakeOptions, Receipt } from './intake.ts';
import type { IntakeWorker } from './intake-worker.ts';
import type { Logger } from './outbox.ts';
import type { ExternalRunUpdate } from './pipeline-events.ts';
import type { Clock } from './ports.ts';
import type { Redactor } from './redact.ts';
import type { IntakeStore } from './store.ts';

/** The sources the core handles itself. */
export const COMMAND = 'command';
export const ACTION = 'action';
export const UPDATE = 'update';

export interface IntakeServiceOptions {
  store: IntakeStore;
  worker: IntakeWorker;
  /** Who decides and answers commands and clicks. */
  core: Pick<Core, 'execute' | 'deliver' | 'pending' | 'safe' | 'handleAction' | 'readsOnly'>;
  /** Applies a CI system's update about a run. */
  apply(update: ExternalRunUpdate): Promise<void>;
  /** Masks secrets in what is recorded. */
  redactor?: Redactor;
  clock: Clock;
  logger: Logger;
}

/** What a command record keeps: the request, without what the intake adds. */
function commandRecord(r: CommandRequest, redact: (text: string) => string): CommandRequest {
  return {
    platform: r.platform,
    userId: r.userId,
    channel: r.channel,
    text: redact(r.text),
    ...(r.userName ? { userName: redact(r.userName) } : {}),
    ...(r.threadId ? { threadId: r.threadId } : {}),
    ...(r.extraRoles?.length ? { extraRoles: r.extraRoles } : {}),
  };
}

function actionRecord(r: ActionRequest, redact: (text: string) => string): ActionRequest {
  return {
    platform: r.platform,
    userId: r.userId,
    channel: r.channel,
    messageId: r.messageId,
    actionId: r.actionId,
    ...(r.input ? { input: redact(r.input) } : {}),
    ...(r.extraRoles?.length ? { extraRoles: r.extraRoles } : {}),
  };
}

const revive = (data: unknown): ExternalRunUpdate => {
  const update = data as ExternalRunUpdate & { at: string };
  return { ...update, at: new Date(update.at) };
};

export class IntakeService implements Intake {
  constructor(private readonly o: IntakeServiceOptions) {
    // The reply goes out first (under its key), then the audit entry and the record's removal
    // share one commit: a record still there after a crash has no audit entry yet.
    o.worker.handle(COMMAND, async (data, record) => {
      const request = { ...(data as CommandRequest), origin: String(record.id) };
      await o.core.execute(request, {
        before: (outcome) => o.core.deliver(request, outcome),
        alongside: () => o.store.done([record.id]),
      });
      return 'removed';
    });
    o.worker.handle(ACTION, async (data, record) => {
      const request = { ...(data as ActionRequest), origin: String(record.id) };
      await o.core.handleAction(request, () => o.store.done([record.id]));
      return 'removed';
    });
    o.worker.handle(UPDATE, (data) => o.apply(revive(data)));
  }

  private redact = (text: string) => (this.o.redactor ? this.o.redactor.redact(text) : text);

  /** One person's commands (and clicks) are handled in the order they came. */
  private personKey = (r: { platform: string; userId: string }) => `${r.platform}\u0000${r.userId}`;

  async command(request: CommandRequest, options: IntakeOptions = {}): Promise<Receipt> {
    const entry = {
      source: COMMAND,
      key: this.personKey(request),
      data: commandRecord(request, this.redact),
    };
    if (options.answerWithinMs === undefined) return this.recordAndKick(entry, options.once);
    const once = options.once === undefined ? undefined : { source: COMMAND, key: options.once };
    if (this.o.core.readsOnly(request.text)) return this.answerReading(request, once);
    const { store, worker, clock } = this.o;
    const id = await store.append(entry, clock.now(), { once, lease: worker.lease() });
    if (id === undefined) return { duplicate: true };
    options.onRecorded?.(String(id));
    worker.hold(id);
    return {
      duplicate: false,
      reply: await this.answer({ ...entry.data, origin: String(id) }, id, options.answerWithinMs),
    };
  }

  /**
   * A command that changes nothing, answered in the ack: its audit entry, written with the
   * request's deduplication key in one commit before the answer, is its record. A crash before
   * that commit acknowledged nothing and changed nothing; after it, the command is done.
   */
  private async answerReading(
    request: CommandRequest,
    once: { source: string; key: string } | undefined,
  ): Promise<Receipt> {
    const { core } = this.o;
    const outcome = await core.execute(request, {
      once,
      // A read-only command answers with a plain reply; a card would go through the outbox.
      before: (result) => (result.key ? core.deliver(request, result) : undefined),
    });
    if (outcome.duplicate) return { duplicate: true };
    const message = core.safe(outcome.message);
    return { duplicate: false, reply: { message, queued: outcome.key !== undefined } };
  }

  /**
   * Handles a command now and answers within `withinMs`: with its reply when ready in time, else
   * with what happens next, the reply following through the outbox. Either way the record is
   * removed in the same commit as the command's audit entry, before the platform hears back.
   */
  private answer(request: CommandRequest, id: number, withinMs: number): Promise<CommandReply> {
    const { core } = this.o;
    // `inline`: answered in the ack; `late`: the ack said what happens next, the outbox answers.
    let state: 'working' | 'inline' | 'late' = 'working';
    return new Promise<CommandReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (state !== 'working') return;
        state = 'late';
        resolve({ message: core.safe(core.pending(request)), queued: false, starts: true });
      }, withinMs);
      const hooks = {
        // Decided once the outcome is known: a plain reply in time goes in the ack; a card, or a
        // reply the ack no longer waits for, goes through the outbox before the record is removed.
        before: (outcome: Outcome) => {
          if (state === 'working' && !outcome.key) {
            state = 'inline';
            return undefined;
          }
          return core.deliver(request, outcome);
        },
        alongside: () => this.o.store.done([id]),
      };
      core
        .execute(request, hooks)
        .then((outcome) => {
          clearTimeout(timer);
          this.o.worker.release(id);
          const message = core.safe(outcome.message);
          if (state === 'inline') resolve({ message, queued: false, starts: outcome.runId !== undefined });
          else if (state === 'working') resolve({ message, queued: true });
        })
        .catch((err: unknown) => {
          clearTimeout(timer);
          this.failed(id, err);
          if (state === 'working') reject(err);
        });
    });
  }

  /** Deckhand's own fault: the record goes back to the worker, which tries it again. */
  private failed(id: number, err: unknown): void {
    this.o.logger.error({ err, record: id }, 'a command failed; it will be tried again');
    const retryAt = new Date(this.o.clock.now().getTime() + 1000);
    this.o.store
      .retry(id, retryAt)
      .catch((error: unknown) => this.o.logger.error({ err: error }, 'could not release an intake record'))
      .finally(() => this.o.worker.release(id));
  }

  async action(request: ActionRequest, options: IntakeOptions = {}): Promise<Receipt> {
    const entry = { source: ACTION, key: this.personKey(request), data: actionRecord(request, this.redact) };
    return this.recordAndKick(entry, options.once);
  }

  async record(
    source: string,
    item: IntakeItem,
    options: Pick<IntakeOptions, 'once'> = {},
  ): Promise<boolean> {
    const data = this.o.redactor ? this.o.redactor.redactJson(item.data) : item.data;
    const receipt = await this.recordAndKick({ source, key: item.key, data }, options.once);
    return !receipt.duplicate;
  }

  /** A CI update taken in (from a poll): on disk, then applied in order. */
  async accept(update: ExternalRunUpdate): Promise<void> {
    const data = this.o.redactor ? this.o.redactor.redactJson(update) : update;
    const key = `${update.provider}\u0000${update.externalId}`;
    await this.recordAndKick({ source: UPDATE, key, data }, undefined);
  }

  handle(source: string, handler: (data: unknown) => Promise<void>): void {
    this.o.worker.handle(source, (data) => handler(data));
  }

  private async recordAndKick(
    entry: { source: string; key: string; data: unknown },
    once: string | undefined,
  ): Promise<Receipt> {
    const dedupe = once === undefined ? undefined : { source: entry.source, key: once };
    const id = await this.o.store.append(entry, this.o.clock.now(), { once: dedupe });
    if (id === undefined) return { duplicate: true };
    this.o.worker.kick();
    return { duplicate: false };
  }
}
