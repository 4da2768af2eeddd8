/**
 * The Teams app package: manifest.json (schema 1.17) naming the bot, its scopes and its commands,
 * with the two icons, zipped (https://learn.microsoft.com/microsoftteams/platform/resources/schema/manifest-schema).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { ConfigError, defaultConfigFile } from '../../config/load.ts';
import type { CliContext, FamilyShape } from '../../modules/chat-platform.ts';
import { clip } from '../../modules/common.ts';
import type { TeamsConfig } from './config.ts';
import { colorIcon, outlineIcon } from './icons.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function teamsManifest(o: {
  appId: string;
  name: string;
  publicUrl?: string;
  families: readonly FamilyShape[];
}) {
  // Teams wants https pages for the developer, privacy and terms: deckhand's own address when known.
  const site = o.publicUrl ?? 'https://example.com';
  const commands = o.families.flatMap((f) =>
    // The manifest's limits: a title of 32 characters, a description of 128; cut between words.
    f.specs.map((c) => ({ title: clip(`${f.root} ${c.name}`, 32), description: clip(c.summary, 128) })),
  );
  return {
    $schema: 'https://developer.microsoft.com/json-schemas/teams/v1.17/MicrosoftTeams.schema.json',
    manifestVersion: '1.17',
    version: '1.0.0',
    id: o.appId,
    developer: { name: 'deckhand', websiteUrl: site, privacyUrl: site, termsOfUseUrl: site },
    name: { short: clip(o.name, 30), full: clip(`${o.name}: CI/CD from chat`, 100) },
    description: {
      short: 'Run builds, tests and deploys from chat.',
      full: 'deckhand runs your CI/CD from chat: builds, tests, deploys, rollbacks and approvals, with every action checked and audited.',
    },
    icons: { color: 'color.png', outline: 'outline.png' },
    accentColor: '#1D4E89',
    bots: [
      {
        botId: o.appId,
        scopes: ['personal', 'team', 'groupChat'],
        isNotificationOnly: false,
        supportsFiles: false,
        // Teams shows at most 10 commands a list.
        commandLists: [{ scopes: ['personal', 'team', 'groupChat'], commands: commands.slice(0, 10) }],
      },
    ],
    permissions: ['identity', 'messageTeamMembers'],
    validDomains: o.publicUrl ? [new URL(o.publicUrl).host] : [],
  };
}

export function teamsPackage(manifest: object): Uint8Array {
  return zipSync({
    'manifest.json': new TextEncoder().encode(JSON.stringify(manifest, null, 2)),
    'color.png': colorIcon(),
    'outline.png': outlineIcon(),
  });
}

/** Writes the package; the exit code (2 when the app id is missing or not a GUID, or the config is bad). */
export async function writePackage(
  cli: Pick<CliContext, 'loadConfig' | 'families'>,
  flags: { out: string; name: string; config?: string },
  io: { err(text: string): void; out(text: string): void; env: Record<string, string | undefined> } = {
    err: (t) => process.stderr.write(`${t}\n`),
    out: (t) => process.stdout.write(t),
    env: process.env,
  },
): Promise<number> {
  let section: TeamsConfig | undefined;
  let publicUrl: string | undefined;
  try {
    const file = flags.config ?? defaultConfigFile(io.env);
    if (flags.config || existsSync(file)) {
      const config = await cli.loadConfig(file, io.env);
      section = config.sections.teams as TeamsConfig | undefined;
      publicUrl = config.server.publicUrl;
    }
  } catch (error) {
    io.err(error instanceof ConfigError ? error.message : (error as Error).message);
    return 2;
  }
  const appId = section?.appId ?? io.env.TEAMS_APP_ID;
  if (!appId || !GUID.test(appId)) {
    io.err("Set TEAMS_APP_ID (or teams.appId) to the bot's Microsoft App ID, a GUID.");
    return 2;
  }
  writeFileSync(
    flags.out,
    teamsPackage(teamsManifest({ appId, name: flags.name, publicUrl, families: cli.families })),
  );
  io.out(`Wrote ${flags.out}: upload it in Teams (Apps → Manage your apps → Upload an app).\n`);
  return 0;
}
