/** Slack's handlers, shared by HTTP and Socket Mode: identity, roles, then the intake. */
import type { Intake } from '../../core/intake.ts';
import type { Message } from '../../core/messages.ts';
import { within } from '../../modules/common.ts';
import type { Arrival, SlackHandlers } from './handlers-types.ts';
import { blockActions, mentionToCommand } from './parse.ts';
import { PROMPT_VALUE, promptSubmission, promptView } from './prompt.ts';
import type { UsergroupRoles } from './usergroups.ts';

export interface SlackHandlerOptions {
  intake: Intake;
  /** Slash command → the family root it types (`/ci` → `ci`). */
  rootOf(command: string): string | undefined;
  /** Family root words, the first the default for mentions. */
  roots: readonly string[];
  render: (message: Message) => { text: string; blocks?: unknown[]; attachments?: unknown[] };
  usergroups?: UsergroupRoles;
  logger: { warn(o: object, m?: string): void; error(o: object, m?: string): void };
  /** Opens a modal (`views.open`); without it, a prompting button acts without its text. */
  openModal?: (triggerId: string, view: Record<string, unknown>) => Promise<void>;
  /** How long the core may take before the ack says what happens next (Slack waits 3 s). */
  ackWithinMs?: number;
}

/** The key that makes a request once-only: its trigger id, or else its signature. */
function replayKey(triggerId: string | undefined, arrival: Arrival | undefined): string | undefined {
  if (triggerId) return `trigger:${triggerId}`;
  return arrival?.signature ? `signature:${arrival.signature}` : undefined;
}

/** Group roles, but never at the cost of the ack: a slow Slack answer means none this time. */
const rolesWithin = (
  usergroups: UsergroupRoles | undefined,
  userId: string,
  ms: number,
): Promise<string[]> => (usergroups ? within(usergroups.rolesFor(userId), ms, []) : Promise.resolve([]));

export function createSlackHandlers(o: SlackHandlerOptions): SlackHandlers {
  const ackWithinMs = o.ackWithinMs ?? 1500;
  return {
    async command(body, arrival) {
      const root = o.rootOf(body.command);
      if (!root) {
        const known = o.roots.map((r) => `/${r}`).join(', ');
        return {
          response_type: 'ephemeral',
          text: `deckhand does not answer ${body.command} here (it answers ${known}).`,
        };
      }
      const extraRoles = await rolesWithin(o.usergroups, body.user_id, 300);
      const receipt = await o.intake.command(
        {
          platform: 'slack',
          userId: body.user_id,
          userName: body.user_name,
          channel: body.channel_id,
          text: `/${root} ${body.text}`.trim(),
          extraRoles,
        },
        // Slack gives every invocation its own trigger id, claimed in the store: a replayed request
        // is not run twice. A body without one is remembered by its signature.
        { answerWithinMs: ackWithinMs, once: replayKey(body.trigger_id, arrival) },
      );
      const reply = receipt.duplicate ? undefined : receipt.reply;
      if (!reply || reply.queued) return { response_type: 'ephemeral', text: '' };
      // Run starts are for the channel to see; help, status, errors and denials only for the asker.
      return { response_type: reply.starts ? 'in_channel' : 'ephemeral', ...o.render(reply.message) };
    },
    async interaction(payload, arrival) {
      const roles = async (userId: string) => ({ extraRoles: await rolesWithin(o.usergroups, userId, 1000) });
      const triggerId = (payload as { trigger_id?: unknown }).trigger_id;
      // Each interaction carries its own trigger id: a replayed one is not acted on twice.
      const key = replayKey(typeof triggerId === 'string' ? triggerId : undefined, arrival);
      const once = (what: string) => (key ? { once: `${key}:${what}` } : {});
      const submitted = promptSubmission(payload);
      if (submitted)
        return void (await o.intake.action(
          { ...submitted, ...(await roles(submitted.userId)) },
          once(submitted.actionId),
        ));
      for (const action of blockActions(payload)) {
        const question = action.value?.startsWith(PROMPT_VALUE)
          ? action.value.slice(PROMPT_VALUE.length)
          : undefined;
        if (question && typeof triggerId === 'string' && o.openModal) {
          const { actionId, channel, messageId } = action;
          await o.openModal(triggerId, promptView(question, { actionId, channel, messageId }));
          continue;
        }
        const { value: _value, ...request } = action;
        await o.intake.action({ ...request, ...(await roles(request.userId)) }, once(request.actionId));
      }
    },
    async event(callback) {
      const event = callback.event;
      if (event.type !== 'app_mention' || event.bot_id || !event.user || !event.channel || !event.text)
        return;
      // Slack retries an event it did not hear back about in time: its id is claimed once.
      await o.intake.command(
        {
          platform: 'slack',
          userId: event.user,
          channel: event.channel,
          threadId: event.thread_ts ?? event.ts,
          text: mentionToCommand(event.text, o.roots),
          extraRoles: await rolesWithin(o.usergroups, event.user, 1000),
        },
        { once: `event:${callback.event_id}` },
      );
    },
  };
}
