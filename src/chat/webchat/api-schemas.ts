/** Request validation for the web chat API, with errors written as sentences for the page. */
import type { FastifyError } from 'fastify';
import { z } from 'zod';

/** Longest accepted message text, in characters. */
export const MAX_TEXT = 4000;
/** Largest accepted request body, in bytes (4000 characters escaped as JSON fit comfortably). */
export const BODY_LIMIT = 32 * 1024;

const NAME = /^[A-Za-z0-9_.-]{1,80}$/;

/** A required string with its own sentences for "missing" and "not a string". */
const text = (field: string) =>
  z.string({
    error: (issue) =>
      issue.input === undefined
        ? `"${field}" is required.`
        : `"${field}" must be a string, not ${typeName(issue.input)}.`,
  });

const name = (field: string) =>
  text(field).regex(NAME, `"${field}" must be 1 to 80 letters, digits, ".", "_" or "-".`);

/** A message id: the digits the API returned, as a string or a number. */
const messageId = (field: string) =>
  z
    .union([z.string(), z.number()], {
      error: (issue) =>
        issue.input === undefined ? `"${field}" is required.` : `"${field}" must be a message id like "12".`,
    })
    .transform(String)
    .pipe(z.string().regex(/^[1-9][0-9]{0,15}$/, `"${field}" must be a message id like "12".`));

/** Body of POST /api/webchat/messages. */
export const postMessageBody = z.object(
  {
    channel: name('channel'),
    user: name('user'),
    text: text('text')
      .max(MAX_TEXT, `"text" must be at most ${MAX_TEXT} characters.`)
      .refine((value) => value.trim().length > 0, '"text" must not be empty.'),
    threadId: messageId('threadId').optional(),
  },
  { error: 'Send a JSON object with "channel", "user" and "text".' },
);

/** Body of POST /api/webchat/actions. */
export const postActionBody = z.object(
  {
    messageId: messageId('messageId'),
    actionId: text('actionId').min(1, '"actionId" must not be empty.').max(200, '"actionId" is too long.'),
    user: name('user'),
    /** What a prompting button asked for. */
    input: text('input').max(500, '"input" must be at most 500 characters.').optional(),
  },
  { error: 'Send a JSON object with "messageId", "actionId" and "user".' },
);

/** Path parameters of the message listing. */
export const channelParams = z.object({ channel: name('channel') });

/** Query of the message listing. */
export const listQuery = z.object({
  thread: messageId('thread').optional(),
  after: messageId('after').optional(),
});

/** Validation result: the data, or the first problem as a sentence. */
export type Checked<T> = { ok: true; data: T } | { ok: false; error: string };

/** Validates `input`, turning the first issue into a user-facing sentence. */
export function check<T extends z.ZodType>(schema: T, input: unknown): Checked<z.output<T>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, error: result.error.issues[0]?.message ?? 'The request is not valid.' };
}

/** The sentence for an error fastify raised before a handler ran (body parsing, limits). */
export function requestErrorSentence(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'The request body is not valid JSON.';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The request body is empty; send a JSON object.';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `The request body is too large; the limit is ${BODY_LIMIT} bytes.`;
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Send the request body as JSON, with the header "Content-Type: application/json".';
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'The request body does not match its Content-Length header.';
    default:
      return error.message ? `The request was rejected: ${error.message}.` : 'The request was rejected.';
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
