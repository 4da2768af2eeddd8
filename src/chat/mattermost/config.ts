/**
 * The `mattermost:` section of deckhand.yaml; secrets default to MATTERMOST_URL,
 * MATTERMOST_COMMAND_TOKEN, MATTERMOST_BOT_TOKEN and MATTERMOST_ACTION_SECRET.
 */
import { z } from 'zod';
import { duration, id } from '../../config/schema.ts';

const slash = z.string().regex(/^\/[a-z0-9_-]+$/, 'a slash command like /ci');

export const mattermostSection = z.strictObject({
  enabled: z.boolean().default(true),
  /** The server's base URL (`https://chat.example.com`); the REST API v4 lives under it. */
  url: z.url().optional(),
  /** The slash commands' tokens (each custom slash command has its own), comma-separated. */
  commandToken: z.string().min(1).optional(),
  /** A bot account's access token: posts, updates and threads go through the REST API with it. */
  botToken: z.string().min(1).optional(),
  /** The key deckhand signs each button with; by default derived from the bot token. */
  actionSecret: z.string().min(16).optional(),
  /** Where Mattermost sends button clicks (default: server.publicUrl + /mattermost/actions). */
  actionsUrl: z.url().optional(),
  /** The slash command of the first command family (`/ci`). */
  command: slash.default('/ci'),
  /** Slash commands of other families by root word, when not `/<root>`. */
  commands: z.record(id, slash).default({}),
  /** Mattermost group id → roles its members get (needs groups on the server). */
  groups: z.record(z.string(), z.array(id)).default({}),
  groupCacheTtl: duration.default(300_000),
  /**
   * The team id (26 characters, e.g. from `GET /api/v4/teams/name/{name}`) incident channels are
   * created in; without it, incidents use a thread in their channel.
   */
  team: z
    .string()
    .regex(/^[a-z0-9]{26}$/, 'a Mattermost team id: 26 lowercase letters and digits (not the team name)')
    .optional(),
});

export type MattermostConfig = z.output<typeof mattermostSection>;
