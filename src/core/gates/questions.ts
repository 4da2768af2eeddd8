/** What the gates answer without changing anything: freezes and the order in force, requests by code or run. */
import { UserError } from '../errors.ts';
import type { Decision } from '../policy.ts';
import type { Clock } from '../ports.ts';
import type { GateRequest, GateStore } from '../store.ts';
import { explainGates, type FreezeAt, freezeOf, type Gated } from './checks.ts';
import type { GateConfig } from './requirements.ts';

/** What answering needs. */
export interface QuestionOptions {
  store: GateStore;
  clock: Clock;
  config: GateConfig;
  /** The freeze in force for a command to an environment, if any. */
  freezeAt: FreezeAt;
}

export class GateQuestions<O extends QuestionOptions = QuestionOptions> {
  constructor(protected readonly o: O) {}

  /** The freeze in force for a command to an environment now (or for the command it counts as), if any. */
  freezeAt(environment: string, command: string, now: Date) {
    return freezeOf(this.o.config, this.o.freezeAt, environment, command, now);
  }

  /** For `--explain`: the freeze or the gates that decide, as a sentence and a rule. */
  explain(input: Gated): Decision | undefined {
    return explainGates(this.o.config, this.o.freezeAt, input, this.o.clock.now());
  }

  /**
   * Whether the configured order (deployments.after) refuses this command without a break-glass:
   * the core's "`--break-glass` changed nothing" note should ask this as well as `freezeAt`.
   */
  async outOfOrder(input: Gated): Promise<boolean> {
    try {
      return (await this.o.config.order?.check(input)) !== undefined;
    } catch (err) {
      if (err instanceof UserError) return false;
      throw err;
    }
  }

  /** Whether a freeze or the order is in force for it, so a `--break-glass` changes something. */
  async breakGlassNeeded(input: Gated, now: Date): Promise<boolean> {
    if (!input.environment) return false;
    return this.freezeAt(input.environment, input.command, now) !== undefined || this.outOfOrder(input);
  }

  /** The request a code names, if any (`/ci cancel` tells a request code from a run number). */
  async request(code: string): Promise<GateRequest | undefined> {
    return this.o.store.byCode(code.replace(/^#/, '').toUpperCase());
  }

  /** The held requests that started these runs (what `/ci history` lists as approvals). */
  async forRuns(runIds: readonly number[]): Promise<GateRequest[]> {
    return runIds.length && this.o.store.forRuns ? this.o.store.forRuns(runIds) : [];
  }
}
