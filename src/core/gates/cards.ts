/** The messages a held command shows: the requester's card and the approvers' card. */
import type { Message } from '../messages.ts';
import type { GateRequest } from '../store.ts';
import { describeRules } from './requirements.ts';

type Mention = (personId: string) => string;

/** "deploy `v1.2.0` to `production`". */
export function subject(r: GateRequest): string {
  return r.subject ?? `\`${r.text}\``;
}

/** The subject for a header, which platforms show as plain text: "deploy v1.2.0 to production". */
export const headline = (r: GateRequest) => subject(r).replaceAll('`', '');

/** "15:04 UTC" (and the date when it is not today's). */
export function clockTime(at: Date, now: Date): string {
  const iso = at.toISOString();
  const sameDay = iso.slice(0, 10) === now.toISOString().slice(0, 10);
  return `${sameDay ? '' : `${iso.slice(0, 10)} `}${iso.slice(11, 16)} UTC`;
}

const codeLine = (r: GateRequest) => `Request ${r.code}`;

/** "From `v1.2.0` to `v1.1.0`.": what a rollback or promote changes, shown before anyone is asked. */
export function fromTo(r: GateRequest): string | undefined {
  const p = r.preview;
  if (!p?.to) return undefined;
  return p.current ? `From \`${p.current}\` to \`${p.to}\`.` : `To \`${p.to}\` (nothing live yet).`;
}

/** Why a break-glass was needed: the freeze, the order, or both; and the reason given. */
function glassText(glass: NonNullable<GateRequest['breakGlass']>): string {
  return [
    glass.freeze ? `Frozen by \`${glass.freeze}\`.` : undefined,
    glass.order ? `Out of order: ${glass.order}` : undefined,
    `Reason given: ${glass.reason}`,
  ]
    .filter(Boolean)
    .join(' ');
}

/** What the requester sees while the request waits for their confirmation. */
export function confirmPrompt(r: GateRequest, mention: Mention, now: Date, then?: string): Message {
  const minutes = Math.max(1, Math.round((r.expiresAt.getTime() - now.getTime()) / 60_000));
  return {
    status: 'warning',
    header: `Confirm: ${headline(r)}`,
    text:
      (fromTo(r) ? `${fromTo(r)}\n` : '') +
      `${mention(r.requester)}, please confirm within ${minutes} minute${minutes === 1 ? '' : 's'}.` +
      (then ? ` After that it needs ${then}.` : ''),
    context: [`Where buttons don't work: \`/ci confirm ${r.code}\` (or \`/ci cancel ${r.code}\`).`],
    buttons: [
      { id: `confirm:${r.id}`, label: 'Confirm', style: 'primary' },
      { id: `abandon:${r.id}`, label: 'Cancel' },
    ],
  };
}

/** The requester's card once the request has moved on. */
export function requestState(r: GateRequest, mention: Mention, now: Date, channelName?: string): Message {
  const where = channelName ? ` in #${channelName}` : '';
  const base = { context: [codeLine(r)] };
  switch (r.status) {
    case 'pending':
      return {
        ...base,
        status: 'queued',
        header: `Waiting for approval: ${headline(r)}`,
        text: `${mention(r.requester)} asked; it needs ${describeRules(r.rules, r.votes)}${where}, until ${clockTime(r.expiresAt, now)}.`,
      };
    case 'approved':
    case 'started':
      return {
        ...base,
        status: 'info',
        header: `Approved: ${headline(r)}`,
        text: r.votes.length
          ? `Approved by ${r.votes.map((v) => mention(v.by)).join(', ')}.`
          : `Confirmed by ${mention(r.requester)}.`,
      };
    case 'rejected':
      return {
        ...base,
        status: 'failed',
        header: `Rejected: ${headline(r)}`,
        text: `Rejected by ${mention(r.decidedBy ?? '?')}: ${r.reason ?? 'no reason given'}.`,
      };
    case 'cancelled':
      return { ...base, status: 'cancelled', header: `Cancelled: ${headline(r)}`, text: 'Nothing was run.' };
    case 'expired':
      return {
        ...base,
        status: 'cancelled',
        header: `Expired: ${headline(r)}`,
        text:
          r.stage === 'confirm'
            ? 'It was not confirmed in time; nothing was run.'
            : `It did not get ${describeRules(r.rules)} in time; nothing was run.`,
      };
    case 'failed':
      return {
        ...base,
        status: 'error',
        header: `Not run: ${headline(r)}`,
        text: r.reason ?? 'It could not start.',
      };
  }
}

/** What approvers see: who asks for what, the change, and the buttons while it is open. */
export function approvalCard(r: GateRequest, mention: Mention, now: Date): Message {
  const glass = r.breakGlass;
  const fields = [
    { label: 'Requested by', value: mention(r.requester) },
    ...(r.environment ? [{ label: 'Environment', value: `\`${r.environment}\`` }] : []),
    ...(r.args.version || r.preview?.to
      ? [{ label: 'Version', value: `\`${r.args.version ?? r.preview?.to}\`` }]
      : []),
    ...(r.preview?.current ? [{ label: 'Live now', value: `\`${r.preview.current}\`` }] : []),
    { label: 'Needs', value: describeRules(r.rules, r.votes) },
  ];
  const commits = r.preview?.commits ?? [];
  const total = r.preview?.total;
  const more = total !== undefined && total > commits.length ? [`…and ${total - commits.length} more`] : [];
  const change =
    total === undefined
      ? undefined
      : total === 0
        ? 'No new commits since the live version.'
        : `${total} commit${total === 1 ? '' : 's'} since the live version:\n${[...commits, ...more].join('\n')}`;
  const open = r.status === 'pending' && r.stage === 'approval';
  const header = `${glass ? '🚨 Break-glass approval' : 'Approval'}${open ? ' needed' : ''}: ${headline(r)}`;
  const outcome = open ? [] : [toOutcome(r, mention)];
  return {
    status: open ? 'warning' : (requestState(r, mention, now).status ?? 'info'),
    header,
    text: [glass ? glassText(glass) : undefined, fromTo(r), change, ...outcome].filter(Boolean).join('\n'),
    fields,
    context: open
      ? [
          `${codeLine(r)} · expires ${clockTime(r.expiresAt, now)} · \`/ci approve ${r.code}\` or \`/ci reject ${r.code} <reason>\``,
          `${mention(r.requester)} cannot approve their own request.`,
        ]
      : [codeLine(r)],
    ...(r.preview?.url ? { link: { label: 'Compare', url: r.preview.url } } : {}),
    ...(open
      ? {
          buttons: [
            { id: `approve:${r.id}`, label: 'Approve', style: 'primary' as const },
            {
              id: `reject:${r.id}`,
              label: 'Reject',
              style: 'danger' as const,
              prompt: 'Why reject? The requester is told your reason.',
            },
          ],
        }
      : {}),
  };
}

/** One line: how the request ended. */
function toOutcome(r: GateRequest, mention: Mention): string {
  return requestState(r, mention, r.createdAt).text ?? '';
}
