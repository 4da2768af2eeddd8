/** What chat adapters hand to the core, already verified and normalised at the edge. */
import type { Message } from './messages.ts';
import type { AuditEntry } from './store.ts';

/** A slash command (or mention) typed by a user. */
export interface CommandRequest {
  platform: string;
  /** The platform's immutable user id. */
  userId: string;
  /** Display name as the platform gave it, for people not in config. */
  userName?: string;
  /** Platform channel address. */
  channel: string;
  /** Platform id of the thread the command was typed in, if any. */
  threadId?: string;
  /** The full text, e.g. `/ci build main`. */
  text: string;
  /** The intake record it was taken in as (set by the intake): what it causes carries it. */
  origin?: string;
  /** Roles the platform grants this user (e.g. through Slack user groups). */
  extraRoles?: string[];
}

/** A button click. */
export interface ActionRequest {
  platform: string;
  userId: string;
  channel: string;
  /** Platform id of the message that carried the button. */
  messageId: string;
  actionId: string;
  /** Text the button asked the clicker for (e.g. a reason to reject), where the platform can ask. */
  input?: string;
  /** Roles the platform grants this user (e.g. through Slack user groups): approvers' roles count. */
  extraRoles?: string[];
  /** The intake record it was taken in as (set by the intake). */
  origin?: string;
}

/** The core's immediate answer; the adapter acks with it or posts it. */
export interface CommandReply {
  message: Message;
  /** True when the reply was queued through the outbox; false when the adapter must deliver it (its ack). */
  queued: boolean;
  /** Whether the command starts a run (that reply is for the channel; others are for the asker). */
  starts?: boolean;
}

/** The core's inbound face, as adapters see it. */
export interface Inbound {
  handleCommand(request: CommandRequest): Promise<CommandReply>;
  handleAction(request: ActionRequest): Promise<CommandReply>;
}

/** The audit entry of a click: the button, any text it asked for, the decision and outcome. */
export function clickEntry(
  request: ActionRequest,
  actor: string | undefined,
  at: Date,
  decision: string,
  outcome: string | undefined,
  runId?: number,
): Omit<AuditEntry, 'id'> {
  return {
    at,
    kind: 'action',
    actor,
    platform: request.platform,
    platformUser: request.userId,
    channel: request.channel,
    text: request.input ? `${request.actionId} ${request.input.slice(0, 500)}` : request.actionId,
    decision,
    outcome,
    runId,
  };
}
