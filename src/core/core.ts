/** The core's inbound face: identify → parse → decide → audit → execute → reply. */
import type { Catalog } from './catalog.ts';
import { explanation, type ParsedLine, parseCommandLine, pendingMessage } from './command-line.ts';
import { type BoundCommand, bindCommands, type CommandDeps } from './commands/index.ts';
import type { Args, Outcome } from './commands/types.ts';
import { UserError } from './errors.ts';
import { Gates, type GatesOptions, gateVerbs } from './gates/gates.ts';
import {
  type ActionRequest,
  type CommandReply,
  type CommandRequest,
  clickEntry,
  type Inbound,
} from './inbound.ts';
import { ensureUnlocked, lockDecision } from './locks.ts';
import type { Message } from './messages.ts';
import { replyKey } from './notify/notifier.ts';
import { replyMessage } from './notify/run-message.ts';
import type { Logger, Outbox } from './outbox.ts';
import type { Directory, PersonInfo } from './people.ts';
import type { Decision, Policy } from './policy.ts';
import type { Clock } from './ports.ts';
import type { Redactor } from './redact.ts';
import type { RunService } from './runs.ts';
import type { AuditStore, GateRequest, GateStore } from './store.ts';

/** Confirmations, approvals and freezes; nothing is held without it. */
export type Gating = Pick<GatesOptions, 'config' | 'addresses' | 'freezeAt' | 'preview' | 'sweepMs'>;

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

export interface CoreOptions extends Omit<CommandDeps, 'gates'> {
  catalog: Catalog;
  runs: RunService;
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
}

const error = (text: string): Message => ({ status: 'error', text });

export class Core implements Inbound {
  readonly commands: BoundCommand[];
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
    });
    this.commands = bindCommands({ ...o, gates: this.gates });
  }

  /**
   * Parses, decides and runs a command. With `request.ack`, answers within the deadline: the
   * result if it is ready, else what happens next, and the result follows through the outbox.
   */
  async handleCommand(request: CommandRequest): Promise<CommandReply> {
    const work = this.execute(request);
    if (!request.ack) {
      const outcome = await work;
      await this.reply(request, outcome.message, outcome.runId, outcome.key);
      return { message: outcome.message, queued: true };
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), request.ack?.withinMs);
    });
    const ready = await Promise.race([work, late]);
    clearTimeout(timer);
    // A card that will be updated in place goes through the outbox, like a late reply.
    if (ready?.key) {
      await this.reply(request, ready.message, ready.runId, ready.key);
      return { message: this.safe(ready.message), queued: true };
    }
    // The adapter sends this itself (its ack), outside the outbox: redact it here.
    if (ready) return { message: this.safe(ready.message), queued: false, starts: ready.runId !== undefined };
    void work
      .then((outcome) => this.reply(request, outcome.message, outcome.runId, outcome.key))
      .catch((err: unknown) => this.o.logger.error({ err }, 'late command reply failed'));
    return { message: this.safe(this.pending(request)), queued: false, starts: true };
  }

  /** A lock held by someone else refuses deploys and rollbacks the policy would allow. */
  private withLocks(verdict: Decision, command: string, environment: string | undefined, personId: string) {
    const { locks, clock, render } = this.o;
    return lockDecision(
      { locks, now: clock.now(), mention: render.mention },
      verdict,
      command,
      environment,
      personId,
    );
  }

  private safe(message: Message): Message {
    return this.o.redactor ? this.o.redactor.redactValue(message) : message;
  }

  /** What the ack says when the work takes longer than the platform waits. */
  private pending(request: CommandRequest): Message {
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

  private async execute(request: CommandRequest): Promise<Outcome> {
    const at = this.o.clock.now();
    const person = this.identify(request);
    let parsed: { command: string; args: Args } | undefined;
    let message: Message;
    let runId: number | undefined;
    let key: string | undefined;
    let decision = 'allowed';
    try {
      const { command, args, explain } = this.parse(request.text);
      parsed = { command: command.name, args };
      const verdict = this.o.policy.decide({ ...request, person, command: command.name, args });
      // A lock refuses before anyone is asked to confirm or approve.
      const final = person
        ? await this.withLocks(verdict, command.name, args.environment, person.id)
        : verdict;
      if (explain && person) {
        const gated = final.allowed ? this.gates.explain({ command: command.name, args }) : undefined;
        // The role that allows it, and the gate that holds or refuses it.
        const shown = gated
          ? {
              ...gated,
              rule: `${final.rule}+${gated.rule}`,
              reason: gated.allowed ? `${final.reason}; ${gated.reason}` : gated.reason,
            }
          : final;
        decision = `explained:${shown.rule}`;
        message = explanation(request.text, shown);
      } else if (!final.allowed || !person) {
        decision = `denied:${final.rule}`;
        message = error(final.reason ?? 'You may not run this command.');
      } else {
        const held = await this.gates.hold({ ...request, person, command: command.name, args });
        const outcome =
          held ??
          (await command.run(args, {
            person,
            platform: request.platform,
            userId: request.userId,
            channel: request.channel,
          }));
        ({ message, runId, key } = outcome);
        decision = outcome.decision ?? decision;
        // A break-glass asked for where no freeze is in force changes nothing; say so.
        const environment = args.environment;
        if (args['break-glass'] && environment && !this.gates.freezeAt(environment, command.name, at)) {
          const note = 'No freeze is in force there: `--break-glass` changed nothing.';
          message = { ...message, context: [...(message.context ?? []), note] };
        }
      }
    } catch (err) {
      if (err instanceof UserError) {
        if (!parsed) decision = 'rejected:invalid';
        message = error(err.message);
      } else {
        const ref = `${at.getTime().toString(36)}`;
        this.o.logger.error({ err, ref, text: request.text }, 'command failed');
        message = error(
          `Something went wrong running \`${request.text.slice(0, 100)}\`. The error is logged (ref ${ref}).`,
        );
      }
      if (!person && decision === 'allowed') decision = 'denied:unknown-user';
    }
    await this.o.audit.append({
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
    });
    return { message, runId, key };
  }

  async handleAction(request: ActionRequest): Promise<CommandReply> {
    const person = this.identify(request);
    const [verb, id] = request.actionId.split(':');
    if (verb && gateVerbs.has(verb)) return this.gateAction(request, verb, Number(id), person);
    const runId = Number(id);
    let message: Message;
    let started: number | undefined;
    let key: string | undefined;
    let decision = 'allowed';
    // A click on a run's button needs the permission to run that kind of run there.
    const run = Number.isInteger(runId) ? await this.o.runs.get(runId) : undefined;
    const command = run?.kind ?? verb ?? '';
    const verdict = this.o.policy.decide({
      ...request,
      person,
      command,
      args: { environment: run?.environment },
    });
    if (!verdict.allowed || !person) {
      decision = `denied:${verdict.rule}`;
      message = error(verdict.reason ?? 'You may not do that.');
    } else if (verb === 'cancel' && Number.isInteger(runId)) {
      const cancelled = await this.o.runs.cancel(runId);
      if (cancelled)
        await this.o.runs.recordAction(runId, { verb: 'cancel', by: person.id, at: this.o.clock.now() });
      message = cancelled
        ? { status: 'cancelled', text: `Run #${runId} cancelled by ${this.o.directory.mention(person.id)}.` }
        : error(`Run #${runId} is not running any more.`);
    } else if (verb === 'rerun' && Number.isInteger(runId)) {
      const outcome = await this.rerun(runId, person, request);
      ({ message, runId: started, key } = outcome);
      decision = outcome.decision ?? decision;
      if (started !== undefined) {
        const action = {
          verb: 'rerun' as const,
          by: person.id,
          at: this.o.clock.now(),
          note: `run #${started}`,
        };
        await this.o.runs.recordAction(runId, action);
      }
    } else {
      decision = 'rejected:unknown-action';
      message = error('That button is not known here any more.');
    }
    const ranId = Number.isInteger(runId) ? runId : undefined;
    await this.o.audit.append(
      clickEntry(request, person?.id, this.o.clock.now(), decision, message.text, ranId),
    );
    // A click is answered in the clicked message's thread.
    await this.reply({ ...request, threadId: request.messageId }, message, started, key);
    return { message, queued: true };
  }

  /** Confirm, Cancel, Approve and Reject buttons: the gate decides who may press them. */
  private async gateAction(
    request: ActionRequest,
    verb: string,
    id: number,
    person: PersonInfo | undefined,
  ): Promise<CommandReply> {
    let outcome: Outcome;
    if (!person) {
      const verdict = this.o.policy.decide({ ...request, person, command: verb, args: {} });
      outcome = {
        message: error(verdict.reason ?? 'You may not do that.'),
        decision: `denied:${verdict.rule}`,
      };
    } else {
      outcome = await this.gates.click(verb, id, person, request.input);
    }
    const said = outcome.message.status === 'error' ? `error: ${outcome.message.text}` : outcome.message.text;
    const decision = outcome.decision ?? 'allowed';
    await this.o.audit.append(
      clickEntry(request, person?.id, this.o.clock.now(), decision, said, outcome.runId),
    );
    if (!outcome.quiet) await this.reply({ ...request, threadId: request.messageId }, outcome.message);
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
    const final = await this.withLocks(verdict, r.command, r.environment, person.id);
    if (!final.allowed) throw new UserError(final.reason ?? 'You may not run this command any more.');
    const freeze = r.environment
      ? this.gates.freezeAt(r.environment, r.command, this.o.clock.now())
      : undefined;
    if (freeze && r.breakGlass?.freeze !== freeze.name) throw new UserError(freeze.sentence);
  }

  private async runHeld(r: GateRequest): Promise<Outcome> {
    const command = this.commands.find((c) => c.name === r.command);
    if (!command) throw new UserError(`\`/ci ${r.command}\` no longer exists.`);
    return command.run(r.args, {
      person: this.requester(r),
      platform: r.platform,
      userId: r.userId,
      channel: r.channel,
    });
  }

  private async rerun(runId: number, person: PersonInfo, request: ActionRequest): Promise<Outcome> {
    try {
      return await this.startAgain(runId, person, request);
    } catch (err) {
      if (err instanceof UserError) return { message: error(err.message) };
      throw err;
    }
  }

  private async startAgain(runId: number, person: PersonInfo, request: ActionRequest): Promise<Outcome> {
    const personId = person.id;
    const old = await this.o.runs.get(runId);
    if (!old) return { message: error(`There is no run #${runId}.`) };
    if (old.environment) {
      await ensureUnlocked(
        this.o.locks,
        old.environment,
        personId,
        this.o.clock.now(),
        this.o.render.mention,
      );
    }
    // Running a deploy or rollback again passes the same gates as typing it: freeze, confirm, approvals.
    if (old.environment && (old.kind === 'deploy' || old.kind === 'rollback')) {
      const args =
        old.kind === 'deploy'
          ? { environment: old.environment, version: old.version }
          : { environment: old.environment };
      const text = `/ci ${old.kind} ${old.environment}${args.version ? ` ${args.version}` : ''}`;
      const held = await this.gates.hold({ ...request, text, person, command: old.kind, args });
      if (held) return held;
    }
    const run = await this.o.runs.start({
      kind: old.kind,
      pipeline: old.pipeline,
      ref: old.ref,
      environment: old.environment,
      version: old.version,
      suite: old.suite,
      requestedBy: personId,
      source: { platform: request.platform, channel: request.channel },
    });
    return { message: replyMessage(run, this.o.render), runId: run.id };
  }

  /** Finds the command and validates its arguments; throws UserError with help on any mistake. */
  parse(text: string): ParsedLine {
    return parseCommandLine(text, this.commands, this.o.catalog);
  }

  /** A reply that started a run carries the run's reply key, so the run's end updates it. */
  private async reply(
    to: { platform: string; channel: string; threadId?: string },
    message: Message,
    runId?: number,
    cardKey?: string,
  ): Promise<void> {
    const key = cardKey ?? (runId === undefined ? undefined : replyKey(runId));
    const { platform, channel, threadId } = to;
    await this.o.outbox.enqueue([{ platform, channel, threadId, op: 'post', key, message }]);
  }
}
