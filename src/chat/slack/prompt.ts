/** A button that asks for text (e.g. Reject's reason): a modal on click, an action on submit. */
import type { ActionRequest } from '../../core/inbound.ts';

/** The `callback_id` of deckhand's prompt modals. */
export const PROMPT_CALLBACK = 'deckhand_prompt';
/** A prompting button's `value` starts with this; the rest is the question. */
export const PROMPT_VALUE = 'prompt:';

/** Where the click came from, carried through the modal in `private_metadata`. */
interface PromptOrigin {
  actionId: string;
  channel: string;
  messageId: string;
}

/** The modal asking a prompting button's question (Block Kit view). */
export function promptView(question: string, origin: PromptOrigin): Record<string, unknown> {
  return {
    type: 'modal',
    callback_id: PROMPT_CALLBACK,
    private_metadata: JSON.stringify(origin),
    title: { type: 'plain_text', text: 'deckhand' },
    submit: { type: 'plain_text', text: 'Send' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: 'answer',
        label: { type: 'plain_text', text: question.slice(0, 2000) },
        element: { type: 'plain_text_input', action_id: 'answer', multiline: true, max_length: 500 },
      },
    ],
  };
}

/** The click a submitted prompt modal completes, or undefined when the payload is not one. */
export function promptSubmission(payload: unknown): ActionRequest | undefined {
  const p = payload as {
    type?: unknown;
    user?: { id?: unknown };
    view?: {
      callback_id?: unknown;
      private_metadata?: unknown;
      state?: { values?: { answer?: { answer?: { value?: unknown } } } };
    };
  };
  if (p?.type !== 'view_submission' || p.view?.callback_id !== PROMPT_CALLBACK) return undefined;
  const userId = p.user?.id;
  const input = p.view.state?.values?.answer?.answer?.value;
  let origin: Partial<PromptOrigin> = {};
  try {
    origin = JSON.parse(String(p.view.private_metadata ?? ''));
  } catch {
    return undefined;
  }
  const { actionId, channel, messageId } = origin;
  if (typeof userId !== 'string' || typeof input !== 'string' || !actionId || !channel || !messageId)
    return undefined;
  return { platform: 'slack', userId, channel, messageId, actionId, input: input.trim().slice(0, 500) };
}
