/**
 * Pages the next escalation level of each unacknowledged incident whose page is due. The state
 * (level, round, next page due at) is in the database: the page is posted under a key naming the
 * level first, then the state moves on only if nobody moved it meanwhile, so a restart between the
 * two posts nothing twice and loses nothing.
 */
import type { OnCall } from '../oncall/types.ts';
import type { Logger } from '../outbox.ts';
import type { Clock } from '../ports.ts';
import type { IncidentService } from './service.ts';
import type { Incident, IncidentStore } from './types.ts';

/** What the escalation worker needs. */
export interface EscalationOptions {
  service: IncidentService;
  store: IncidentStore;
  oncall?: OnCall;
  /** The policy's name (`incidents.escalation`). */
  policy?: string;
  clock: Clock;
  logger: Pick<Logger, 'warn'>;
  /** How often it looks for due pages (default 15 s). */
  everyMs?: number;
}

/** The state after paging once more: the next level, or round again, or stop. */
export function nextState(
  from: Incident['escalation'],
  levels: { afterMs: number }[],
  repeat: number,
  now: Date,
): Incident['escalation'] {
  let level = from.level + 1;
  let round = from.round;
  if (level >= levels.length) {
    if (round >= repeat) return { level: from.level, round, nextAt: undefined };
    level = 0;
    round += 1;
  }
  const wait = levels[level]?.afterMs;
  return { level, round, nextAt: wait === undefined ? undefined : new Date(now.getTime() + wait) };
}

/** Checks for due pages every `everyMs`, driven by the injected clock's time. */
export class EscalationWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly o: EscalationOptions) {}

  /** Pages what is due now; returns how many pages went out. */
  async tick(): Promise<number> {
    await this.o.service.reload();
    const policy = this.o.policy ? this.o.oncall?.policy(this.o.policy) : undefined;
    if (!policy || policy.levels.length === 0) return 0;
    const now = this.o.clock.now();
    let pages = 0;
    for (const incident of await this.o.store.duePages(now)) {
      const to = nextState(incident.escalation, policy.levels, policy.repeat, now);
      if (to.level === incident.escalation.level && to.round === incident.escalation.round) {
        await this.o.store.advanceEscalation(incident.id, incident.escalation, to);
        continue;
      }
      // Keyed by round and level: posted again after a crash, it is still one post.
      const text = await this.o.service.page(incident, to.level, to.round, 'escalation');
      if (!(await this.o.store.advanceEscalation(incident.id, incident.escalation, to))) continue;
      await this.o.service.event(incident, 'paged', 'escalation', text);
      pages++;
    }
    return pages;
  }

  start(): void {
    const every = this.o.everyMs ?? 15_000;
    const loop = () => {
      this.running = this.tick()
        .then(() => undefined)
        .catch((err: unknown) => this.o.logger.warn({ err }, 'escalation check failed'))
        .finally(() => {
          if (this.timer !== undefined) this.timer = setTimeout(loop, every);
        });
    };
    this.timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
