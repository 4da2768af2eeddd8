/** The fields deckhand reads from Mattermost's requests, checked before anything is recorded. */
import { z } from 'zod';

const mmId = z.string().min(1).max(64);

/** A slash command: form fields (https://developers.mattermost.com/integrate/slash-commands/custom/). */
export const slashCommand = z.object({
  token: z.string().max(200).optional(),
  command: z.string().min(2).max(64),
  text: z.string().max(4000).default(''),
  user_id: mmId,
  user_name: z.string().max(64).optional(),
  channel_id: mmId,
  trigger_id: z.string().max(1000).optional(),
  root_id: z.string().max(64).optional(),
});

export type SlashCommand = z.output<typeof slashCommand>;

/** A button click, as Mattermost posts it to the button's integration URL. */
export const actionRequest = z.object({
  user_id: mmId,
  channel_id: mmId,
  post_id: mmId,
  trigger_id: z.string().max(1000).optional(),
  context: z.object({ action: z.string().min(1).max(200), mac: z.string().length(64) }),
});

export type ActionRequestBody = z.output<typeof actionRequest>;

/** The first field that failed, for the 400 and the log. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`;
}
