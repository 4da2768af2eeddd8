/**
 * Periodic clean-up that keeps tables from growing without bound. Each task deletes by age, so
 * running it from several processes at once is harmless.
 */
import type { Logger } from '../core/outbox.ts';
import type { Clock } from '../core/ports.ts';

export interface HousekeepingTask {
  name: string;
  /** Deletes what is older than it keeps; resolves to how many rows went. */
  run(now: Date): Promise<number>;
}

export class Housekeeping {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly o: { tasks: HousekeepingTask[]; everyMs: number; clock: Clock; logger: Logger },
  ) {}

  /** Runs every task now, then every `everyMs`. */
  start(): Promise<void> {
    this.timer = setInterval(() => void this.runAll(), this.o.everyMs);
    this.timer.unref();
    return this.runAll();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  runAll(): Promise<void> {
    this.running = this.running.then(async () => {
      for (const task of this.o.tasks) {
        try {
          const removed = await task.run(this.o.clock.now());
          if (removed > 0) this.o.logger.info({ task: task.name, removed }, 'housekeeping');
        } catch (err) {
          this.o.logger.error({ err, task: task.name }, 'housekeeping failed; it runs again later');
        }
      }
    });
    return this.running;
  }
}
