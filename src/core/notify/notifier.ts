/** Decides where run messages go and queues them in the outbox. */
import type { Message } from '../messages.ts';
import type { Outbox } from '../outbox.ts';
import type { StepInfo } from '../pipeline-events.ts';
import type { NewOutboxItem, RunRecord } from '../store.ts';
import { type Route, routeChannels } from './routing.ts';
import { type RenderContext, replyMessage, runMessage, stepMessage } from './run-message.ts';
import { notifiedSeverities, type SecurityAlert, securityMessage } from './security.ts';

/** Where one configured channel lives on each running platform. */
export type ChannelAddresses = (channelId: string) => { platform: string; channel: string }[];

export interface NotifierOptions {
  outbox: Pick<Outbox, 'enqueue'>;
  routes: readonly Route[];
  addresses: ChannelAddresses;
  render: RenderContext;
}

const runKey = (run: RunRecord) => `run:${run.id}`;
/** The key of the requester's reply, which is updated when the run ends. */
export const replyKey = (runId: number) => `reply:${runId}`;

export class Notifier {
  /** Channels each run has been posted to, so later states update them. */
  private readonly posted = new Map<number, Set<string>>();

  constructor(private readonly options: NotifierOptions) {}

  /** Targets for a run's message now: matching routes, or the source channel when no rule is set. */
  private targets(run: RunRecord): { platform: string; channel: string }[] {
    const { routes, addresses } = this.options;
    if (routes.length === 0) return [run.source];
    const facts = { kind: run.kind, status: run.status, branch: run.ref, environment: run.environment };
    return routeChannels(routes, facts).flatMap(addresses);
  }

  /** Queues the run's first message. */
  async runCreated(run: RunRecord): Promise<void> {
    await this.options.outbox.enqueue(this.runItems(run));
  }

  /** Queues the run message's new state (posting it where it is new, updating elsewhere). */
  async runChanged(run: RunRecord, extra: NewOutboxItem[] = []): Promise<void> {
    await this.options.outbox.enqueue([...this.runItems(run), ...extra]);
  }

  /** Queues a finished step's detail into each run message's thread. */
  async stepFinished(run: RunRecord, step: StepInfo): Promise<void> {
    await this.runChanged(run, this.threadItems(run, stepMessage(run, step)));
  }

  /** Queues a message into each run message's thread. */
  async thread(run: RunRecord, message: Message): Promise<void> {
    await this.options.outbox.enqueue(this.threadItems(run, message));
  }

  private threadItems(run: RunRecord, message: Message): NewOutboxItem[] {
    return this.known(run).map((t): NewOutboxItem => ({ ...t, op: 'post', threadKey: runKey(run), message }));
  }

  /** A high or critical security alert, to the channels routed for `security`; true when sent. */
  async security(alert: SecurityAlert): Promise<boolean> {
    if (!notifiedSeverities.has(alert.severity)) return false;
    const targets = routeChannels(this.options.routes, { kind: 'security' }).flatMap(this.options.addresses);
    const message = securityMessage(alert);
    await this.options.outbox.enqueue(targets.map((t): NewOutboxItem => ({ ...t, op: 'post', message })));
    return targets.length > 0;
  }

  /** A one-off message to a channel, e.g. a delivery problem the requester should hear about. */
  async notice(to: { platform: string; channel: string }, message: Message, key?: string): Promise<void> {
    await this.options.outbox.enqueue([{ ...to, op: 'post', message, key }]);
  }

  /** Final state: the run message and the requester's reply. */
  async runFinished(run: RunRecord): Promise<void> {
    const reply: NewOutboxItem = {
      ...run.source,
      op: 'update',
      key: replyKey(run.id),
      message: replyMessage(run, this.options.render),
    };
    // A run started on the CI side has nobody waiting for a reply.
    await this.runChanged(run, run.source.platform ? [reply] : []);
    // Keep recent runs' channels for late thread details (failure logs, clicks); forget old ones.
    if (this.posted.size > 1000) this.posted.delete(this.posted.keys().next().value as number);
  }

  private known(run: RunRecord): { platform: string; channel: string }[] {
    return [...(this.posted.get(run.id) ?? [])].map((t) => {
      const [platform, channel] = t.split('\u0000') as [string, string];
      return { platform, channel };
    });
  }

  /**
   * Updates are upserts: the outbox posts the message where none exists yet, so a restart that
   * forgot where a run was posted still updates rather than repeats it.
   */
  private runItems(run: RunRecord): NewOutboxItem[] {
    const message = runMessage(run, this.options.render);
    let seen = this.posted.get(run.id);
    if (!seen) {
      seen = new Set();
      this.posted.set(run.id, seen);
    }
    for (const target of this.targets(run)) seen.add(`${target.platform}\u0000${target.channel}`);
    return this.known(run).map((target) => ({ ...target, op: 'update', key: runKey(run), message }));
  }
}
