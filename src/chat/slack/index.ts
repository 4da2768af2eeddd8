/** The Slack adapter: HTTP endpoints or Socket Mode in, Block Kit through the outbox out. */
import type { ModalView } from '@slack/types';
import type { ChatPlatform, ChatPlatformContext } from '../../modules/chat-platform.ts';
import { type Connection, probe } from '../../modules/connection.ts';
import { createSlackSender } from './client.ts';
import type { SlackConfig } from './config.ts';
import { createSlackHandlers } from './handlers.ts';
import { renderSlack } from './render.ts';
import { slackRoutes } from './routes.ts';
import { type SlackSettings, slackSettings } from './settings.ts';
import { createSlackSocket, type SlackSocket } from './socket.ts';
import { createUsergroupRoles } from './usergroups.ts';

export { type SlackSettings, slackSettings } from './settings.ts';

/** Knobs beyond the config (tests). */
export interface SlackPlatformOptions {
  /** Milliseconds a command may take before the ack says what happens next (default 1.5 s of Slack's 3). */
  ackWithinMs?: number;
}

/** Which family a slash command types: the configured one is the first family's, else `/<root>`. */
export function rootOf(settings: Pick<SlackSettings, 'command' | 'commands'>, roots: readonly string[]) {
  return (command: string): string | undefined => {
    if (command === settings.command) return roots[0];
    return roots.slice(1).find((r) => (settings.commands[r] ?? `/${r}`) === command);
  };
}

export function createSlackPlatform(
  context: ChatPlatformContext<SlackConfig>,
  options: SlackPlatformOptions = {},
): ChatPlatform {
  const { logger } = context;
  const settings = slackSettings(context.section as SlackConfig, context.env);
  const render = (message: Parameters<typeof renderSlack>[0]) => renderSlack(message);
  const sender = createSlackSender({
    token: settings.botToken,
    apiUrl: settings.apiUrl,
    logger,
    render,
    broadcastFinal: settings.broadcastFinal,
  });
  const usergroups = Object.keys(settings.usergroups).length
    ? createUsergroupRoles({
        client: sender.client,
        groups: settings.usergroups,
        ttlMs: settings.usergroupCacheTtl,
        logger,
      })
    : undefined;
  const handlers = createSlackHandlers({
    intake: context.intake,
    rootOf: rootOf(settings, context.roots),
    roots: context.roots,
    render,
    usergroups,
    logger,
    ackWithinMs: options.ackWithinMs,
    openModal: async (triggerId, view) => {
      await sender.client.views.open({ trigger_id: triggerId, view: view as unknown as ModalView });
    },
  });
  const socket =
    settings.mode === 'socket' && settings.appToken
      ? createSlackSocket({ appToken: settings.appToken, apiUrl: settings.apiUrl, handlers, logger })
      : undefined;
  return {
    sender,
    routes: settings.signingSecret
      ? slackRoutes({ signingSecret: settings.signingSecret, handlers, logger })
      : undefined,
    // Socket Mode: the socket itself; over HTTP: whether the Web API takes the bot token.
    connection: socket ? socketConnection(socket) : webApiConnection(settings),
    async stop() {
      await socket?.stop();
    },
  };
}

/** The Socket Mode link: up while greeted; gone when the SDK stopped reconnecting. */
function socketConnection(socket: SlackSocket): Connection {
  return {
    open: () => socket.start(),
    health: () => {
      if (socket.connected) return undefined;
      const gone = socket.gaveUp();
      return gone ? { down: gone, gone: true } : { down: 'Slack Socket Mode is reconnecting' };
    },
  };
}

/** https://api.slack.com/methods/auth.test: 200 with `ok: false` and `invalid_auth` for a bad token. */
function webApiConnection(settings: SlackSettings): Connection {
  const base = (settings.apiUrl ?? 'https://slack.com/api/').replace(/\/*$/, '/');
  return {
    open: () =>
      probe({
        what: 'the Slack Web API',
        url: `${base}auth.test`,
        method: 'POST',
        headers: { authorization: `Bearer ${settings.botToken}` },
        refusal: async (res) => {
          const body = (await res.json().catch(() => ({}))) as { ok?: unknown; error?: unknown };
          return body.ok === false ? String(body.error) : undefined;
        },
      }),
  };
}
