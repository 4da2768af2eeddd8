/**
 * The `teams:` section of deckhand.yaml; secrets default to TEAMS_APP_ID, TEAMS_APP_PASSWORD and
 * TEAMS_TENANT_ID, and each Bot Framework endpoint can be overridden (proxies, sovereign clouds, tests).
 */
import { z } from 'zod';
import { duration, id } from '../../config/schema.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Entra group object ids → roles (Graph refuses a whole request over one malformed id). */
const groups = z.record(z.string(), z.array(id)).superRefine((value, ctx) => {
  for (const key of Object.keys(value))
    if (!GUID.test(key))
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `"${key}" is not an Entra group object id; use the group's Object ID (a GUID) from the Entra admin center`,
      });
});

export const teamsSection = z.strictObject({
  enabled: z.boolean().default(true),
  /** The bot's Microsoft App ID (the audience of every inbound token). */
  appId: z.string().min(1).optional(),
  appPassword: z.string().min(1).optional(),
  /** For a single-tenant bot: outbound tokens come from this tenant. */
  tenantId: z.string().min(1).optional(),
  /** Where proactive messages go: the Bot Connector for the tenant's region. */
  serviceUrl: z.url().optional(),
  /** Service URLs deckhand may call (prefixes); an activity naming another is refused. */
  serviceUrls: z.array(z.url()).min(1).optional(),
  /** Bot Framework's OpenID metadata (its signing keys are read from it). */
  openIdUrl: z.url().optional(),
  /** Where client-credentials tokens come from. */
  tokenUrl: z.url().optional(),
  /** Microsoft Entra group object id → roles its members (also through nested groups) get. */
  groups: groups.default({}),
  /** How long a person's group roles are kept before Graph is asked again. */
  groupCacheTtl: duration.default(300_000),
  /** Microsoft Graph (national clouds have their own). */
  graphUrl: z.url().optional(),
  /** Where Graph's application tokens come from (default: the tenant's token endpoint). */
  graphTokenUrl: z.url().optional(),
});

export type TeamsConfig = z.output<typeof teamsSection>;
