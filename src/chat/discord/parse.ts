/**
 * The fields deckhand reads from an interaction, checked before anything is recorded
 * (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object),
 * and a slash command's options turned back into the command line deckhand's parser reads.
 */
import { z } from 'zod';
import type { FamilyShape } from '../../modules/chat-platform.ts';

const snowflake = z.string().regex(/^\d{1,25}$/);
const user = z.object({ id: snowflake, username: z.string().max(64).optional() });

interface Option {
  name: string;
  type: number;
  value?: string | number | boolean;
  options?: Option[];
}
const option: z.ZodType<Option> = z.lazy(() =>
  z.object({
    name: z.string().min(1).max(32),
    type: z.number().int(),
    value: z.union([z.string().max(4000), z.number(), z.boolean()]).optional(),
    options: z.array(option).max(25).optional(),
  }),
);

export const interaction = z.object({
  id: snowflake,
  type: z.number().int(),
  token: z.string().min(1).max(1000).optional(),
  channel_id: snowflake.optional(),
  member: z.object({ user, roles: z.array(snowflake).max(250).default([]) }).optional(),
  user: user.optional(),
  data: z
    .object({
      name: z.string().max(32).optional(),
      options: z.array(option).max(25).optional(),
      custom_id: z.string().min(1).max(100).optional(),
    })
    .optional(),
  message: z.object({ id: snowflake }).optional(),
});

export type Interaction = z.output<typeof interaction>;

/** The first field that failed, for the 400 and the log. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`;
}

/** A word the command parser reads back as one word, whatever it holds. */
const word = (value: string) => value.replace(/[\s"'“”‘’„\\]/g, '\\$&');

const SUB_COMMAND = 1;

/**
 * `/ci deploy environment:production version:v1` → `/ci deploy production v1`: positional
 * arguments in their declared order, flags as `--name value`, a `rest` argument as typed. A
 * subcommand deckhand does not know (registered by an older version) keeps its options in order,
 * so the answer can say what it is called now.
 */
export function commandText(
  root: string,
  options: readonly Option[],
  families: readonly FamilyShape[],
): string {
  const sub = options.find((o) => o.type === SUB_COMMAND);
  if (!sub) return `/${root}`;
  const spec = families.find((f) => f.root === root)?.specs.find((c) => c.name === sub.name);
  const given = new Map((sub.options ?? []).map((o) => [o.name, String(o.value ?? '')]));
  const words: string[] = [`/${root}`, sub.name];
  if (!spec) {
    for (const value of given.values()) words.push(word(value));
    return words.join(' ');
  }
  for (const arg of spec.args) {
    const value = given.get(arg.name);
    if (value === undefined) continue;
    words.push(arg.rest ? value : word(value));
  }
  for (const flag of spec.flags ?? []) {
    const value = given.get(flag.name);
    if (value !== undefined) words.push(`--${flag.name}`, word(value));
  }
  return words.join(' ');
}
