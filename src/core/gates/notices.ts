/** The outbox items a request's life produces: both cards, posted and updated, and notes to the requester. */
import type { Message } from '../messages.ts';
import type { ChannelAddresses } from '../notify/notifier.ts';
import type { AuditEntry, GateRequest, NewOutboxItem } from '../store.ts';
import { approvalCard, requestState } from './cards.ts';
import { type GateConfig, requirements } from './requirements.ts';

export interface NoticeContext {
  config: GateConfig;
  addresses: ChannelAddresses;
  mention: (personId: string) => string;
}

/** The requester's card. */
export const gateKey = (id: number) => `gate:${id}`;
/** The approvers' card. */
export const approvalKey = (id: number) => `approval:${id}`;

/** The approvals channel's id for a request. */
export function approvalChannel(c: NoticeContext, r: GateRequest): string | undefined {
  return requirements(c.config, r.command, r.environment).channel;
}

/** Where the approvers' card goes: the approvals channel, else the request's own channel. */
function approvalTargets(c: NoticeContext, r: GateRequest): { platform: string; channel: string }[] {
  const channel = approvalChannel(c, r);
  const targets = channel ? c.addresses(channel) : [];
  return targets.length ? targets : [{ platform: r.platform, channel: r.channel }];
}

export function approvalPosts(c: NoticeContext, r: GateRequest, now: Date): NewOutboxItem[] {
  const message = approvalCard(r, c.mention, now);
  return approvalTargets(c, r).map((t) => ({ ...t, op: 'post', key: approvalKey(r.id), message }));
}

/** A message to the requester, in the thread their request started. */
export function toRequester(r: GateRequest, message: Message, key?: string): NewOutboxItem {
  const where = r.threadId ? { threadId: r.threadId } : { threadKey: gateKey(r.id) };
  return { platform: r.platform, channel: r.channel, ...where, op: 'post', key, message };
}

/** Brings both cards up to date, plus an optional note to the requester. */
export function cardUpdates(c: NoticeContext, r: GateRequest, now: Date, note?: Message): NewOutboxItem[] {
  const items: NewOutboxItem[] = [
    {
      platform: r.platform,
      channel: r.channel,
      op: 'update',
      key: gateKey(r.id),
      message: requestState(r, c.mention, now, approvalChannel(c, r)),
    },
  ];
  if (r.stage === 'approval') {
    const message = approvalCard(r, c.mention, now);
    for (const t of approvalTargets(c, r))
      items.push({ ...t, op: 'update', key: approvalKey(r.id), message });
  }
  if (note) items.push(toRequester(r, note));
  return items;
}

/** The audit entry of a step in a request's life. */
export function auditEntry(
  r: GateRequest,
  at: Date,
  decision: string,
  outcome: string,
  runId?: number,
): Omit<AuditEntry, 'id'> {
  return {
    at,
    kind: 'approval',
    actor: r.requester,
    platform: r.platform,
    channel: r.channel,
    text: `${r.code}: ${r.text}`,
    command: { command: r.command, args: r.args, family: r.family },
    decision,
    outcome,
    runId,
  };
}
