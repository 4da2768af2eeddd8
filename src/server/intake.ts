/** The intake: what chat platforms and CI webhooks hand over, taken in and handled. */
import type { ActionRequest, CommandRequest, Inbound } from '../core/inbound.ts';
import type { Intake, IntakeOptions, Receipt } from '../core/intake.ts';
import type { Logger } from '../core/outbox.ts';
import type { Clock } from '../core/ports.ts';
import type { DedupeStore } from '../core/store.ts';
import type { UpdateJournal } from '../core/update-journal.ts';

export interface IntakeDeps {
  inbound: Inbound;
  journal: UpdateJournal;
  dedupe: DedupeStore;
  clock: Clock;
  logger: Logger;
}

export function createIntake(o: IntakeDeps): Intake & { idle(): Promise<void> } {
  const pending = new Set<Promise<unknown>>();
  const later = (what: string, work: () => Promise<unknown>) => {
    const task = new Promise<void>((resolve) => setImmediate(resolve))
      .then(work)
      .catch((err: unknown) => o.logger.error({ err }, `${what} failed`))
      .finally(() => pending.delete(task));
    pending.add(task);
  };
  const take = async (
    kind: 'command' | 'action',
    options: IntakeOptions,
    handle: (withinMs?: number) => ReturnType<Inbound['handleCommand']>,
  ): Promise<Receipt> => {
    if (options.once && !(await o.dedupe.claim(kind, options.once, o.clock.now())))
      return { duplicate: true };
    if (options.answerWithinMs !== undefined)
      return { duplicate: false, reply: await handle(options.answerWithinMs) };
    later(kind, () => handle());
    return { duplicate: false };
  };
  return {
    command: (request: CommandRequest, options = {}) =>
      take('command', options, (withinMs) =>
        o.inbound.handleCommand(withinMs === undefined ? request : { ...request, ack: { withinMs } }),
      ),
    action: (request: ActionRequest, options = {}) =>
      take('action', options, () => o.inbound.handleAction(request)),
    record: (source, item, options = {}) =>
      o.journal.append(
        source,
        item.key,
        item.data,
        options.once ? { source: `${source}-delivery`, key: options.once } : undefined,
      ),
    handle: (source, handler) => o.journal.handle(source, handler),
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
