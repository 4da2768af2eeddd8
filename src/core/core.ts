/** The core's inbound face: identify → parse → decide → audit → execute → reply. */
import type { Catalog } from './catalog.ts';
import { explanation, type ParsedLine, parseCommandLine, pendingMessage } from './command-line.ts';
import { Families } from './commands/families.ts';
import { type Args, type Outcome, touchedEnvironment } from './commands/types.ts';
import { errorId, UserError } from './errors.ts';
import { type CommandFamily, type CommandServices, defaultLimits, type Limits } from './family.ts';
import { Gates, type GatesOptions, gateVerbs } from './gates/gates.ts';
import {
  type ActionRequest,
  type CommandReply,
  type CommandRequest,
  clickEntry,
  type Inbound,
} from './inbound.ts';
import { lockDecision } from './locks.ts';
import type { Message } from './messages.ts';
import { replyKey } from './notify/notifier.ts';
import type { RenderContext } from './notify/run-message.ts';
import type { Logger, Outbox } from './outbox.ts';
import type { Directory, PersonInfo } from './people.ts';
import type { Decision, Policy } from './policy.ts';
import type { Clock } from './ports.ts';
import type { Redactor } from './redact.ts';
import type { RunService } from './runs.ts';
import type { AuditStore, DeploymentStore, GateRequest, GateStore, LockStore, ReplyTo } from './store.ts';
import type { AuditLogReader, UsageStatsReader } from './types/audit-log.ts';

/** Confirmations, approvals and freezes; nothing is held without it. */
export type Gating = Pick<GatesOptions, 'config' | 'addresses' | 'freezeAt' | 'sweepMs' | 'onApproval'>;

const noGating: Gating = {
  config: {
    confirmCommands: [],
    protectedEnvironments: [],
    confirmMs: 120_000,
    approvals: {},
    approvalMs: 3_600_000,
  },
  addresses: () => [],
  freezeAt: () => undefined,
};

/** Operations from chat: runbooks, incidents and on-call, as the families' services. */
export interface CoreOptions extends Pick<CommandServices, 'runbooks' | 'incidents' | 'oncall'> {
  /** The command families this process answers, in the order help lists them. */
  families: readonly CommandFamily[];
  catalog: Catalog;
  runs: RunService;
  deployments: DeploymentStore;
  locks: LockStore;
  auditLog: AuditLogReader;
  usageStats: UsageStatsReader;
  render: RenderContext;
  audit: AuditStore;
  outbox: Pick<Outbox, 'enqueue'>;
  directory: Directory;
  clock: Clock;
  logger: Logger;
  policy: Policy;
  /** Masks secrets in replies the adapter delivers itself (acks). */
  redactor?: Redactor;
  gateRequests: GateStore;
  gating?: Gating;
  /** Bounds on what commands accept (default: locks for at most 7 days). */
  limits?: Limits;
}

const error = (text: string): Message => ({ status: 'error', text });

/** What runs around a command's audit entry. */
export interface AuditHooks {
  /** Before the entry is written (sending the reply). */
  before?(outcome: Outcome): Promise<void> | undefined;
  /** Written with the entry, in the same commit. */
  alongside?(outcome: Outcome): Promise<void> | undefined;
  /** The request's deduplication key, claimed with the entry: taken already, nothing is written. */
  once?: { source: string; key: string };
}

/** The key a reply to an intake record is posted under. */
const answerKey = (origin: string | undefined) => (origin === undefined ? undefined : `answer:${origin}`);

export class Core implements Inbound {
  readonly families: Families;
  readonly gates: Gates;

  constructor(private readonly o: CoreOptions) {
    this.gates = new Gates({
      ...(o.gating ?? noGating),
      store: o.gateRequests,
      outbox: o.outbox,
      audit: o.audit,
      clock: o.clock,
      logger: o.logger,
      directory: o.directory,
      recheck: (request) => this.recheck(request),
      run: (request) => this.runHeld(request),
      preview: (family, command, args) =>
        this.families.command(family, command)?.preview?.(args) ?? Promise.resolve(undefined),
    });
    this.families = new Families(o.families, { ...o, gates: this.gates, limits: o.limits ?? defaultLimits });
  }

  /** Decides, runs and audits a command, then sends its reply through the outbox. */
  async handleCommand(request: CommandRequest): Promise<CommandReply> {
    const outcome = await this.execute(request);
    await this.deliver(request, outcome);
    return { message: outcome.message, queued: true, starts: outcome.runId !== undefined };
  }

  /** A command's reply, through the outbox under its card's, run's or record's key: a replay posts it once. */
  async deliver(request: CommandRequest, outcome: Outcome): Promise<void> {
    const key = outcome.key ?? (outcome.runId === undefined ? answerKey(request.origin) : undefined);
    const final = outcome.key === undefined && outcome.runId === undefined;
    const answer = request.origin ? { origin: request.origin, final } : undefined;
    await this.reply(request, outcome.message, outcome.runId, key, answer);
  }

  /** A lock held by someone else refuses what changes its environment, though the policy would allow it. */
  private withLocks(verdict: Decision, environment: string | undefined, personId: string) {
    const { locks, clock, render } = this.o;
    return lockDecision({ locks, now: clock.now(), mention: render.mention }, verdict, environment, personId);
  }

  /** A message the platform delivers itself (an ack), outside the outbox: redacted here. */
  safe(message: Message): Message {
    return this.o.redactor ? this.o.redactor.redactValue(message) : message;
  }

  /** What the ack says when the work takes longer than the platform waits. */
  pending(request: CommandRequest): Message {
    const person = this.identify(request);
    const who = person ? this.o.directory.mention(person.id) : `\`${request.userId}\``;
    return pendingMessage(request.text, who, (text) => this.parse(text));
  }

  /** The person behind a request, with roles the platform granted (e.g. its user groups). */
  private identify(
    request: Pick<CommandRequest, 'platform' | 'userId' | 'extraRoles'>,
  ): PersonInfo | undefined {
    const person = this.o.directory.identify(request.platform, request.userId);
    if (!person || !request.extraRoles?.length) return person;
    return { ...person, roles: [...new Set([...person.roles, ...request.extraRoles])] };
  }

  /**
   * Identifies, parses, decides, runs and audits a command. The reply is not sent here: `hooks.before`
   * may send it before the audit entry is written, and `hooks.alongside` is written with the entry,
   * in the same commit (the intake removing the command's record: a record still there after a
   * crash is one whose audit entry was never written).
   */
  async execute(request: CommandRequest, hooks: AuditHooks = {}): Promise<Outcome & { duplicate?: true }> {
    const at = this.o.clock.now();
    const person = this.identify(request);
    let parsed: { command: string; args: Args; family: string } | undefined;
    let message: Message;
    let runId: number | undefined;
    let key: string | undefined;
    let decision = 'allowed';
    try {
      const { command, args, explain } = this.parse(request.text);
      const family = command.family;
      parsed = { command: command.name, args, family };
      const environment = touchedEnvironment(command, args);
      const verdict = this.o.policy.decide({ ...request, person, family, command: command.name, args });
      // A lock refuses before anyone is asked to confirm or approve.
      const final = person ? await this.withLocks(verdict, environment, person.id) : verdict;
      const gated = { family, command: command.name, args, environment };
      if (explain && person) {
        const gates = final.allowed ? this.gates.explain(gated) : undefined;
        // The role that allows it, and the gate that holds or refuses it.
        const shown = gates
          ? {
              ...gates,
              rule: `${final.rule}+${gates.rule}`,
              reason: gates.allowed ? `${final.reason}; ${gates.reason}` : gates.reason,
            }
          : final;
        decision = `explained:${shown.rule}`;
        message = explanation(request.text, shown);
      } else if (!final.allowed || !person) {
        decision = `denied:${final.rule}`;
        message = error(final.reason ?? 'You may not run this command.');
      } else {
        const subject = command.describe?.(args);
        const held = command.readOnly
          ? undefined
          : await this.gates.hold({ ...request, ...gated, person, subject });
        const outcome =
          held ??
          (await command.run(args, {
            person,
            platform: request.platform,
            userId: request.userId,
            channel: request.channel,
            origin: request.origin,
          }));
        ({ message, runId, key } = outcome);
        decision = outcome.decision ?? decision;
        // A break-glass asked for where no freeze is in force and no order refuses changes nothing; say so.
        if (args['break-glass'] && environment && !(await this.gates.breakGlassNeeded(gated, at))) {
          const note = 'No freeze or order is in force there: `--break-glass` changed nothing.';
          message = { ...message, context: [...(message.context ?? []), note] };
        }
      }
    } catch (err) {
      if (err instanceof UserError) {
        if (!parsed) decision = 'rejected:invalid';
        message = error(err.message);
      } else {
        // Deckhand's own fault, never the user's input: the id ties the reply to the log line.
        const ref = errorId();
        this.o.logger.error({ err, errorId: ref, text: request.text }, 'command failed');
        message = error(
          `Something went wrong running \`${request.text.slice(0, 100)}\`. The error is logged (error id ${ref}).`,
        );
      }
      if (!person && decision === 'allowed') decision = 'denied:unknown-user';
    }
    const outcome = { message, runId, key };
    await hooks.before?.(outcome);
    // With `alongside` (the intake removing the record) the record stands for the entry.
    const options = { covered: hooks.alongside !== undefined, once: hooks.once };
    const audited = this.o.audit.append(
      {
        at,
        kind: 'command',
        actor: person?.id,
        platform: request.platform,
        platformUser: request.userId,
        channel: request.channel,
        text: request.text.slice(0, 2000),
        command: parsed,
        decision,
        outcome: message.status === 'error' ? `error: ${message.text}` : (message.text ?? message.header),
        runId,
      },
      options,
    );
    const [id] = await Promise.all([audited, hooks.alongside?.(outcome)]);
    return id === undefined ? { ...outcome, duplicate: true } : outcome;
  }

  /** Decides and answers a click: its reply is sent first, then its audit entry written (with `alongside`). */
  async handleAction(request: ActionRequest, alongside?: () => Promise<void>): Promise<CommandReply> {
    const person = this.identify(request);
    const [verb = '', id = ''] = request.actionId.split(':');
    if (gateVerbs.has(verb)) return this.gateAction(request, verb, Number(id), person, alongside);
    const button = this.families.button(verb);
    let outcome: Outcome;
    let about: number | undefined;
    if (!button) {
      outcome = {
        message: error('That button is not known here any more.'),
        decision: 'rejected:unknown-action',
      };
    } else {
      // A click needs the permission of the command it stands for (Run again: the run's kind, there).
      const wants = await button.spec.permission(id, button.deps);
      about = wants.runId;
      const verdict = this.o.policy.decide({
        ...request,
        person,
        family: button.root,
        command: wants.command,
        args: wants.args,
      });
      if (!verdict.allowed || !person) {
        outcome = {
          message: error(verdict.reason ?? 'You may not do that.'),
          decision: `denied:${verdict.rule}`,
        };
      } else {
        const who = {
          person,
          platform: request.platform,
          userId: request.userId,
          channel: request.channel,
          origin: request.origin,
        };
        const click = { ...who, messageId: request.messageId, input: request.input };
        outcome = await this.userErrors(() => button.spec.click(id, click, button.deps));
      }
    }
    const { message } = outcome;
    // A click is answered in the clicked message's thread.
    const key = outcome.key ?? (outcome.runId === undefined ? answerKey(request.origin) : undefined);
    await this.reply({ ...request, threadId: request.messageId }, message, outcome.runId, key);
    const decision = outcome.decision ?? 'allowed';
    const entry = clickEntry(request, person?.id, this.o.clock.now(), decision, message.text, about);
    await Promise.all([this.o.audit.append(entry, { covered: alongside !== undefined }), alongside?.()]);
    return { message, queued: true };
  }

  /** A handler's own refusal (a UserError) is its answer; anything else is deckhand's fault. */
  private async userErrors(work: () => Promise<Outcome>): Promise<Outcome> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof UserError) return { message: error(err.message) };
      throw err;
    }
  }

  /** Confirm, Cancel, Approve and Reject buttons: the gate decides who may press them. */
  private async gateAction(
    request: ActionRequest,
    verb: string,
    id: number,
    person: PersonInfo | undefined,
    alongside?: () => Promise<void>,
  ): Promise<CommandReply> {
    let outcome: Outcome;
    if (!person) {
      const verdict = this.o.policy.decide({ ...request, person, family: '', command: verb, args: {} });
      outcome = {
        message: error(verdict.reason ?? 'You may not do that.'),
        decision: `denied:${verdict.rule}`,
      };
    } else {
      outcome = await this.gates.click(verb, id, person, request.input);
    }
    const said = outcome.message.status === 'error' ? `error: ${outcome.message.text}` : outcome.message.text;
    const decision = outcome.decision ?? 'allowed';
    if (!outcome.quiet)
      await this.reply(
        { ...request, threadId: request.messageId },
        outcome.message,
        undefined,
        answerKey(request.origin),
      );
    const entry = clickEntry(request, person?.id, this.o.clock.now(), decision, said, outcome.runId);
    await Promise.all([this.o.audit.append(entry, { covered: alongside !== undefined }), alongside?.()]);
    return { message: outcome.message, queued: true };
  }

  /** The requester, as they are now, with the roles their platform granted when they asked. */
  private requester(r: GateRequest): PersonInfo {
    const person = this.o.directory.get(r.requester);
    if (!person) throw new UserError(`${r.requester} is no longer a configured person.`);
    return { ...person, roles: [...new Set([...person.roles, ...r.extraRoles])] };
  }

  /** A held command is checked again when it is confirmed and when it is approved. */
  private async recheck(r: GateRequest): Promise<void> {
    const person = this.requester(r);
    const verdict = this.o.policy.decide({ ...r, person, args: r.args });
    const final = await this.withLocks(verdict, r.environment, person.id);
    if (!final.allowed) throw new UserError(final.reason ?? 'You may not run this command any more.');
    const freeze = r.environment
      ? this.gates.freezeAt(r.environment, r.command, this.o.clock.now())
      : undefined;
    if (freeze && r.breakGlass?.freeze !== freeze.name) throw new UserError(freeze.sentence);
  }

  private async runHeld(r: GateRequest): Promise<Outcome> {
    const command = this.families.command(r.family, r.command);
    if (!command) throw new UserError(`\`/${r.family} ${r.command}\` no longer exists.`);
    // A request starts its command once, however often it is approved or replayed.
    return command.run(r.args, {
      person: this.requester(r),
      platform: r.platform,
      userId: r.userId,
      channel: r.channel,
      origin: `gate:${r.id}`,
    });
  }

  /** Whether a command line changes nothing: a read-only command, an `--explain`, or a line that does not parse. */
  readsOnly(text: string): boolean {
    try {
      const { command, explain } = this.parse(text);
      return explain || command.readOnly === true;
    } catch (err) {
      if (err instanceof UserError) return true;
      throw err;
    }
  }

  parse(text: string): ParsedLine {
    return parseCommandLine(text, this.families);
  }

  /** A reply that started a run carries the run's reply key, so the run's end updates it. */
  private async reply(
    to: { platform: string; channel: string; threadId?: string },
    message: Message,
    runId?: number,
    cardKey?: string,
    answer?: ReplyTo,
  ): Promise<void> {
    const key = cardKey ?? (runId === undefined ? undefined : replyKey(runId));
    const { platform, channel, threadId } = to;
    await this.o.outbox.enqueue([{ platform, channel, threadId, op: 'post', key, message, answer }]);
  }
}
