/**
 * The `discord:` section of deckhand.yaml; secrets default to DISCORD_APPLICATION_ID,
 * DISCORD_PUBLIC_KEY, DISCORD_BOT_TOKEN (and DISCORD_API_URL for proxies and tests).
 */
import { z } from 'zod';
import { id } from '../../config/schema.ts';

const snowflake = z.string().regex(/^\d{5,25}$/, 'a Discord id (digits)');

export const discordSection = z.strictObject({
  enabled: z.boolean().default(true),
  applicationId: snowflake.optional(),
  /** The application's public key (hex): every interaction is checked against it. */
  publicKey: z
    .string()
    .regex(/^[0-9a-f]{64}$/i, '64 hex digits')
    .optional(),
  botToken: z.string().min(1).optional(),
  /** The REST API's base URL (default Discord's), for proxies and tests. */
  apiUrl: z.url().optional(),
  /** Discord role id → deckhand roles its members get. */
  roles: z.record(snowflake, z.array(id)).default({}),
  /** The category (its channel id) incident channels are created under; without it, a thread. */
  incidentCategory: snowflake.optional(),
});

export type DiscordConfig = z.output<typeof discordSection>;
