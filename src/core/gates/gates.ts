/** Holds commands until their requester confirms and their approvers approve; then runs them. */
import type { Outcome } from '../commands/types.ts';
import { ProviderError, UserError } from '../errors.ts';
import type { Message } from '../messages.ts';
import type { ChannelAddresses } from '../notify/notifier.ts';
import { replyKey } from '../notify/notifier.ts';
import type { Logger, Outbox } from '../outbox.ts';
import type { Directory, PersonInfo } from '../people.ts';

export type { HoldInput } from './checks.ts';

import type { AuditStore, GateRequest, NewOutboxItem, Preview } from '../store.ts';
import { confirmPrompt, requestState, subject } from './cards.ts';
import { freezeRefusal, type HoldInput, needsOf } from './checks.ts';
import {
  approvalChannel,
  approvalPosts,
  auditEntry,
  cardUpdates,
  gateKey,
  type NoticeContext,
  toRequester,
} from './notices.ts';
import { orderRefusal } from './order.ts';
import { GateQuestions, type QuestionOptions } from './questions.ts';
import { canApprove, describeRules, requirements, satisfied } from './requirements.ts';

export interface GatesOptions extends QuestionOptions {
  outbox: Pick<Outbox, 'enqueue'>;
  audit: AuditStore;
  logger: Logger;
  directory: Directory;
  addresses: ChannelAddresses;
  /** What approvers see of the change (the live version, the commits, a compare link). */
  preview?(
    family: string,
    command: string,
    args: Record<string, string | undefined>,
  ): Promise<Preview | undefined>;
  /** Checks policy, locks and freezes for the requester again now; throws UserError when refused. */
  recheck(request: GateRequest): Promise<void>;
  /** Runs the held command for its requester. */
  run(request: GateRequest): Promise<Outcome>;
  /** How often expired requests are closed (default 15 s). */
  sweepMs?: number;
  /** Told once a request waits for approvals (an open incident routes it to whoever is on call). */
  onApproval?(request: GateRequest): Promise<void>;
}

const error = (text: string, decision: string): Outcome => ({
  message: { status: 'error', text },
  decision,
});

/** Button verbs this service answers. */
export const gateVerbs = new Set(['confirm', 'abandon', 'approve', 'reject']);

export class Gates extends GateQuestions<GatesOptions> {
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<unknown> = Promise.resolve();

  /** Takes new settings (a config reload); open requests keep the rules they were made with. */
  reconfigure(next: Pick<GatesOptions, 'config' | 'freezeAt'>): void {
    this.o.config = next.config;
    this.o.freezeAt = next.freezeAt;
  }

  private mention = (id: string) => this.o.directory.mention(id);

  private get notices(): NoticeContext {
    return { config: this.o.config, addresses: this.o.addresses, mention: this.mention };
  }

  /**
   * Called once the policy allows a command. Refuses it during a freeze, holds it when it needs a
   * confirmation or approvals (the outcome is the requester's card), or returns undefined to run it.
   */
  async hold(input: HoldInput): Promise<Outcome | undefined> {
    const now = this.o.clock.now();
    const order = await this.o.config.order?.check(input);
    const need = needsOf(this.o.config, this.o.freezeAt, input, now, order);
    const refusal = freezeRefusal(input, need.freeze);
    if (refusal) return error(refusal, `denied:freeze:${need.freeze?.name}`);
    const outOfOrder = orderRefusal(input, order);
    if (outOfOrder) return error(outOfOrder, 'denied:order');
    if (!need.confirm && need.rules.length === 0) return undefined;
    const stage = need.confirm ? 'confirm' : 'approval';
    const reason = input.args['break-glass'];
    const glass =
      reason && (need.freeze || order)
        ? { freeze: need.freeze?.name ?? '', reason, ...(order ? { order: order.sentence } : {}) }
        : undefined;
    const request = await this.o.store.create(
      {
        stage,
        family: input.family,
        command: input.command,
        subject: input.subject,
        args: input.args,
        text: input.text,
        requester: input.person.id,
        platform: input.platform,
        userId: input.userId,
        channel: input.channel,
        threadId: input.threadId,
        extraRoles: input.extraRoles ?? [],
        environment: input.environment,
        rules: need.rules,
        breakGlass: glass,
        // Shown before anyone is asked: what is live, and what it would become.
        preview: await this.previewOf(input, true),
        expiresAt: new Date(now.getTime() + (need.confirm ? this.o.config.confirmMs : need.approvalMs)),
        origin: input.origin,
      },
      now,
    );
    if (stage === 'confirm') {
      const then = need.rules.length ? describeRules(need.rules) : undefined;
      return {
        message: confirmPrompt(request, this.mention, now, then),
        key: gateKey(request.id),
        decision: 'held:confirm',
      };
    }
    await this.postApproval(request, now);
    return {
      message: requestState(request, this.mention, now, approvalChannel(this.notices, request)),
      key: gateKey(request.id),
      decision: 'held:approval',
    };
  }

  /** With `strict` (before anything is held), a preview saying the command cannot run refuses it. */
  private async previewOf(
    input: Pick<HoldInput, 'family' | 'command' | 'args'>,
    strict = false,
  ): Promise<Preview | undefined> {
    try {
      return await this.o.preview?.(input.family, input.command, input.args);
    } catch (err) {
      if (strict && err instanceof UserError && !(err instanceof ProviderError)) throw err;
      this.o.logger.warn({ err }, 'could not compare versions for an approval request');
      return undefined;
    }
  }

  private async postApproval(r: GateRequest, now: Date): Promise<void> {
    await this.o.outbox.enqueue(approvalPosts(this.notices, r, now));
    await this.o.onApproval?.(r);
  }

  private updates(r: GateRequest, now: Date, note?: Message): NewOutboxItem[] {
    return cardUpdates(this.notices, r, now, note);
  }

  private async find(ref: string | number): Promise<GateRequest> {
    const request =
      typeof ref === 'number'
        ? await this.o.store.get(ref)
        : await this.o.store.byCode(ref.replace(/^#/, ''));
    if (!request) throw new UserError(`There is no request \`${ref}\`. Codes look like \`K7Q2XM\`.`);
    return request;
  }

  /** Why a request is no longer open, for a late click. */
  private closed(r: GateRequest, now: Date): string | undefined {
    if (r.status === 'pending' && r.expiresAt > now) return undefined;
    if (r.status === 'pending')
      return `Request ${r.code} expired at ${r.expiresAt.toISOString().slice(11, 16)} UTC.`;
    const state = requestState(r, this.mention, now);
    return `Request ${r.code} is closed: ${state.header?.split(':')[0]?.toLowerCase()}. ${state.text ?? ''}`.trim();
  }

  /** A Confirm, Cancel, Approve or Reject button pressed on request `id`. */
  async click(verb: string, id: number, person: PersonInfo, input?: string): Promise<Outcome> {
    try {
      if (verb === 'confirm') return await this.confirm(id, person);
      if (verb === 'abandon') return await this.cancel(id, person);
      if (verb === 'approve') return await this.approve(id, person);
      return await this.reject(id, person, input);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      return error(err.message, 'rejected:unknown-request');
    }
  }

  /** The requester confirms (button or `/ci confirm <code>`): re-checked now, then on to approvals or the run. */
  async confirm(ref: string | number, person: PersonInfo): Promise<Outcome> {
    const r = await this.find(ref);
    const now = this.o.clock.now();
    if (r.stage !== 'confirm' || r.status !== 'pending' || r.expiresAt <= now)
      return error(this.closed(r, now) ?? `Request ${r.code} is already confirmed.`, 'rejected:closed');
    if (r.requester !== person.id)
      return error(`Only ${this.mention(r.requester)} can confirm their request.`, 'denied:not-requester');
    try {
      await this.o.recheck(r);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      if (await this.o.store.advance(r.id, 'confirm', now, { status: 'failed', reason: err.message }))
        await this.o.outbox.enqueue(this.updates({ ...r, status: 'failed', reason: err.message }, now));
      return error(err.message, 'denied:recheck');
    }
    if (r.rules.length > 0) {
      const preview = await this.previewOf(r);
      const expiresAt = new Date(
        now.getTime() + requirements(this.o.config, r.command, r.environment).approvalMs,
      );
      if (!(await this.o.store.advance(r.id, 'confirm', now, { stage: 'approval', expiresAt, preview })))
        return error(`Request ${r.code} is already confirmed.`, 'rejected:closed');
      const next: GateRequest = { ...r, stage: 'approval', expiresAt, preview };
      await this.postApproval(next, now);
      await this.o.outbox.enqueue(this.updates(next, now).slice(0, 1));
      return {
        message: { status: 'queued', text: `Confirmed. Waiting for ${describeRules(r.rules)}.` },
        decision: 'confirmed',
        quiet: true,
      };
    }
    if (!(await this.o.store.advance(r.id, 'confirm', now, { status: 'approved' })))
      return error(`Request ${r.code} is already confirmed.`, 'rejected:closed');
    return this.launch({ ...r, status: 'approved' }, now, 'confirmed');
  }

  /** The requester withdraws while it waits for their confirmation. */
  async cancel(ref: string | number, person: PersonInfo): Promise<Outcome> {
    const r = await this.find(ref);
    const now = this.o.clock.now();
    if (r.requester !== person.id)
      return error(`Only ${this.mention(r.requester)} can cancel their request.`, 'denied:not-requester');
    if (!(await this.o.store.advance(r.id, r.stage, now, { status: 'cancelled', decidedBy: person.id })))
      return error(this.closed(r, now) ?? `Request ${r.code} is closed.`, 'rejected:closed');
    await this.o.outbox.enqueue(this.updates({ ...r, status: 'cancelled', decidedBy: person.id }, now));
    return {
      message: { status: 'cancelled', text: `Cancelled; nothing was run.` },
      decision: 'cancelled',
      quiet: true,
    };
  }

  /** One approval. The vote that completes the request, and only that one, starts the run. */
  async approve(ref: string | number, person: PersonInfo): Promise<Outcome> {
    const r = await this.find(ref);
    const now = this.o.clock.now();
    if (r.stage !== 'approval')
      return error(this.closed(r, now) ?? `Request ${r.code} is not confirmed yet.`, 'rejected:closed');
    if (r.requester === person.id)
      return error('You cannot approve your own request; someone else must.', 'denied:self-approval');
    if (!canApprove(r.rules, person.roles))
      return error(
        `Only ${[...new Set(r.rules.flatMap((x) => x.roles))].join(' or ')} may approve this; your roles: ${person.roles.join(', ') || 'none'}.`,
        'denied:not-approver',
      );
    const vote = { by: person.id, at: now, roles: person.roles };
    const result = await this.o.store.vote(r.id, vote, now, (votes) => satisfied(r.rules, votes));
    if (result.outcome === 'duplicate')
      return error(`You already approved request ${r.code}.`, 'rejected:duplicate');
    if (result.outcome === 'closed' || result.outcome === 'expired')
      return error(this.closed(result.request, now) ?? `Request ${r.code} is closed.`, 'rejected:closed');
    if (result.outcome === 'recorded') {
      await this.o.outbox.enqueue(this.updates(result.request, now));
      return {
        message: {
          status: 'info',
          text: `Approval recorded; it still needs ${describeRules(r.rules, result.request.votes)}.`,
        },
        decision: 'approved:partial',
        quiet: true,
      };
    }
    return this.launch(result.request, now, 'approved');
  }

  /** An approver refuses, with a reason; a click without one asks for it. */
  async reject(ref: string | number, person: PersonInfo, reason?: string): Promise<Outcome> {
    const r = await this.find(ref);
    const now = this.o.clock.now();
    if (r.stage !== 'approval')
      return error(this.closed(r, now) ?? `Request ${r.code} is not confirmed yet.`, 'rejected:closed');
    if (r.requester === person.id)
      return error(`To withdraw your own request, use \`/ci cancel ${r.code}\`.`, 'denied:self-approval');
    if (!canApprove(r.rules, person.roles))
      return error(
        `Only ${[...new Set(r.rules.flatMap((x) => x.roles))].join(' or ')} may reject this.`,
        'denied:not-approver',
      );
    const why = reason?.trim().slice(0, 500);
    if (!why) {
      return {
        message: {
          status: 'info',
          text: `${this.mention(person.id)}, why? Reject with a reason: \`/ci reject ${r.code} <reason>\`.`,
        },
        decision: 'asked:reason',
      };
    }
    if (
      !(await this.o.store.advance(r.id, 'approval', now, {
        status: 'rejected',
        decidedBy: person.id,
        reason: why,
      }))
    )
      return error(this.closed(r, now) ?? `Request ${r.code} is closed.`, 'rejected:closed');
    const done: GateRequest = { ...r, status: 'rejected', decidedBy: person.id, reason: why };
    const note: Message = {
      status: 'failed',
      text: `${this.mention(r.requester)}, ${this.mention(person.id)} rejected your request to ${subject(r)}: ${why}`,
    };
    await this.o.outbox.enqueue(this.updates(done, now, note));
    return { message: { status: 'failed', text: `Rejected: ${why}` }, decision: 'rejected', quiet: true };
  }

  /** Starts an approved (or confirmed) request, once; tells the requester either way. */
  private async launch(r: GateRequest, now: Date, decision: string): Promise<Outcome> {
    const by = r.votes.length ? r.votes.map((v) => this.mention(v.by)).join(', ') : undefined;
    try {
      await this.o.recheck(r);
      const outcome = await this.o.run(r);
      await this.o.store.finish(r.id, 'started', outcome.runId);
      const done: GateRequest = { ...r, status: 'started', runId: outcome.runId };
      const note: Message | undefined = by
        ? {
            status: 'info',
            text: `${this.mention(r.requester)}, ${by} approved your request to ${subject(r)}.`,
          }
        : undefined;
      const items = this.updates(done, now, note);
      items.push(
        toRequester(
          r,
          outcome.message,
          outcome.key ?? (outcome.runId === undefined ? undefined : replyKey(outcome.runId)),
        ),
      );
      await this.o.outbox.enqueue(items);
      await this.audit(r, decision, `run #${outcome.runId ?? '-'}`, outcome.runId);
      return { message: outcome.message, runId: outcome.runId, decision, quiet: true };
    } catch (err) {
      const reason =
        err instanceof UserError ? err.message : 'It could not start; the server log has the details.';
      if (!(err instanceof UserError))
        this.o.logger.error({ err, request: r.id }, 'approved command failed to start');
      await this.o.store.finish(r.id, 'failed', undefined, reason);
      const note: Message = {
        status: 'error',
        text: `${this.mention(r.requester)}, your request to ${subject(r)} did not run: ${reason}`,
      };
      await this.o.outbox.enqueue(this.updates({ ...r, status: 'failed', reason }, now, note));
      await this.audit(r, `${decision}:not-run`, `error: ${reason}`);
      return error(reason, `${decision}:not-run`);
    }
  }

  private async audit(r: GateRequest, decision: string, outcome: string, runId?: number): Promise<void> {
    await this.o.audit.append(auditEntry(r, this.o.clock.now(), decision, outcome, runId));
  }

  /** Closes requests whose time is up and tells their requesters. */
  async sweep(): Promise<number> {
    const now = this.o.clock.now();
    const expired = await this.o.store.expire(now);
    for (const r of expired) {
      const note: Message = {
        status: 'cancelled',
        text: `${this.mention(r.requester)}, your request to ${subject(r)} expired; nothing was run.`,
      };
      await this.o.outbox.enqueue(this.updates(r, now, r.stage === 'approval' ? note : undefined));
      await this.audit(
        r,
        'expired',
        r.stage === 'confirm' ? 'not confirmed in time' : 'not approved in time',
      );
    }
    return expired.length;
  }

  /** Starts the sweeper; approved requests a restart interrupted before their run are reported. */
  async start(): Promise<void> {
    const now = this.o.clock.now();
    for (const r of await this.o.store.stranded()) {
      const reason = 'deckhand restarted before it could start; please ask again.';
      await this.o.store.finish(r.id, 'failed', undefined, reason);
      await this.o.outbox.enqueue(this.updates({ ...r, status: 'failed', reason }, now));
    }
    await this.sweep();
    this.timer = setInterval(() => {
      this.sweeping = this.sweep().catch((err: unknown) => this.o.logger.error({ err }, 'gate sweep failed'));
    }, this.o.sweepMs ?? 15_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }
}
