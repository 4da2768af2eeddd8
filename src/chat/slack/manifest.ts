/**
 * The Slack app manifest for "Create New App → From a manifest": one slash command, mentions and buttons.
 * Field names follow Slack's app manifest reference and the `Manifest` type of @slack/web-api.
 */
import type { AppsManifestCreateArguments } from '@slack/web-api';
import { stringify } from 'yaml';
import { clip } from '../../modules/common.ts';

type Manifest = AppsManifestCreateArguments['manifest'];
type BotScope = NonNullable<NonNullable<NonNullable<Manifest['oauth_config']>['scopes']>['bot']>[number];

/** What `slackManifest` can vary. */
export interface SlackManifestOptions {
  /** deckhand's public base URL for HTTP mode, e.g. `https://bot.example.com`. */
  url?: string;
  /** The slash command (default `/ci`). */
  command?: string;
  /** The app's display name (default `deckhand`). */
  name?: string;
  /** Socket Mode: no request URLs; also the mode when no `url` is given. */
  socketMode?: boolean;
  /** Slash commands of the other command families (`/ops`). */
  more?: { command: string; description: string; usageHint: string }[];
}

/** The paths of deckhand's Slack endpoints (see routes.ts). */
export const slackEndpoints = {
  commands: '/slack/commands',
  interactions: '/slack/interactions',
  events: '/slack/events',
} as const;

/** The bot scopes deckhand asks for, each with the reason it needs it. */
export const slackBotScopes: Partial<Record<BotScope, string>> = {
  commands: 'the slash command',
  'chat:write': 'post and update run messages (chat.postMessage, chat.update)',
  'chat:write.public': 'post to public channels the bot was not invited to',
  'app_mentions:read': 'the app_mention event (@deckhand status)',
  'usergroups:read': 'user group members for roles (usergroups.users.list)',
  'channels:history': 'find a message it may have posted just before a crash (conversations.history)',
  'groups:history': 'the same in private channels',
  'channels:manage':
    'open an incident channel, set its topic, invite the on-call (conversations.create, .setTopic, .invite)',
  'channels:read': 'find an incident channel created before under the same name (conversations.list)',
  'channels:join': 'join a public channel of that name someone else created (conversations.join)',
};

/** The usage hint Slack shows while the command is typed (at most 100 characters). */
export const slackUsageHint =
  'build [branch] | test [suite] | deploy <env> [version] | rollback <env> | status | help [command]';

const DEFAULT_NAME = 'deckhand';
const DEFAULT_COMMAND = '/ci';
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A validated base URL without a trailing slash; throws one sentence saying what is wrong. */
export function slackBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error(`"${raw}" is not a URL; give deckhand's public address, e.g. https://bot.example.com.`);
  }
  const local = LOOPBACK.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new Error(`The URL must use https:// (http:// is accepted only for localhost), not "${raw}".`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new Error(
      `The URL must be a plain base address without credentials, query or fragment, not "${raw}".`,
    );
  }
  return url.href.replace(/\/+$/, '');
}

function checkCommand(command: string): string {
  if (!/^\/[a-z0-9_-]{1,31}$/.test(command)) {
    throw new Error(
      `"${command}" is not a slash command; write it like /ci (lowercase, at most 32 characters).`,
    );
  }
  return command;
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 35) throw new Error('The app name must be 1 to 35 characters long.');
  return trimmed;
}

/** The bot user's name: Slack allows only lowercase letters, digits, "-", "_" and ".". */
function botName(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return cleaned || DEFAULT_NAME;
}

/** Builds the manifest as an object (`slackManifest` prints it as YAML). */
export function slackManifestObject(options: SlackManifestOptions = {}): Manifest {
  const name = checkName(options.name ?? DEFAULT_NAME);
  const command = checkCommand(options.command ?? DEFAULT_COMMAND);
  const socket = options.socketMode === true || options.url === undefined;
  const base = socket ? undefined : slackBaseUrl(options.url as string);
  const at = (path: string) => (base ? { request_url: `${base}${path}` } : {});
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name,
      description: 'Run CI/CD from chat: builds, tests, deploys and rollbacks.',
    },
    features: {
      bot_user: { display_name: botName(name), always_online: true },
      slash_commands: [
        { command, description: 'Run CI/CD from chat', usageHint: slackUsageHint },
        ...(options.more ?? []),
      ].map((c) => ({
        command: checkCommand(c.command),
        ...(base ? { url: `${base}${slackEndpoints.commands}` } : {}),
        // Slack allows 100 characters for each; cut between words and alternatives, never within.
        description: clip(c.description, 100),
        usage_hint: clip(c.usageHint, 100, ' | '),
        should_escape: false,
      })),
    },
    oauth_config: {
      scopes: { bot: Object.keys(slackBotScopes) as BotScope[] },
    },
    settings: {
      event_subscriptions: { ...at(slackEndpoints.events), bot_events: ['app_mention'] },
      interactivity: { is_enabled: true, ...at(slackEndpoints.interactions) },
      org_deploy_enabled: false,
      socket_mode_enabled: socket,
      token_rotation_enabled: false,
    },
  };
}

/** The manifest as YAML, ready to paste into Slack's "Create app from manifest". */
export function slackManifest(options: SlackManifestOptions = {}): string {
  return stringify(slackManifestObject(options), { lineWidth: 0 });
}
