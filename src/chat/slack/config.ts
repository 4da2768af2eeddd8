/** The `slack:` section of deckhand.yaml; secrets default to SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN, SLACK_APP_TOKEN, SLACK_API_URL. */
import { z } from 'zod';
import { duration, id } from '../../config/schema.ts';

const slash = z.string().regex(/^\/[a-z0-9_-]+$/, 'a slash command like /ci');

export const slackSection = z.strictObject({
  enabled: z.boolean().default(true),
  signingSecret: z.string().min(1).optional(),
  botToken: z.string().min(1).optional(),
  /** An app-level token (`xapp-…`) switches to Socket Mode: no public URL needed. */
  appToken: z.string().min(1).optional(),
  /** Web API base URL, for proxies and tests. */
  apiUrl: z.url().optional(),
  /** The slash command of the first command family (`/ci`), as registered in Slack. */
  command: slash.default('/ci'),
  /** Slash commands of other families by root word, when not `/<root>` (e.g. `ops: /runbook`). */
  commands: z.record(id, slash).default({}),
  /** Slack user group id (`S…`) → roles its members get. */
  usergroups: z.record(z.string(), z.array(id)).default({}),
  usergroupCacheTtl: duration.default(300_000),
  /** Also post a run's final state to the channel when it lands in a thread. */
  broadcastFinal: z.boolean().default(false),
});

export type SlackConfig = z.output<typeof slackSection>;
