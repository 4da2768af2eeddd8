/** The Slack adapter: HTTP endpoints or Socket Mode in, Block Kit through the outbox out. */
import type { ModalView } from '@slack/types';
import type { ChatPlatform, ChatPlatformContext } from '../../modules/chat-platform.ts';
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
  let socket: SlackSocket | undefined;
  return {
    sender,
    routes: settings.signingSecret
      ? slackRoutes({ signingSecret: settings.signingSecret, handlers, logger })
      : undefined,
    async start() {
      if (settings.mode !== 'socket' || !settings.appToken) return;
      socket = createSlackSocket({ appToken: settings.appToken, apiUrl: settings.apiUrl, handlers, logger });
      await socket.start();
      logger.info({}, 'connected to Slack over Socket Mode');
    },
    async stop() {
      await socket?.stop();
    },
  };
}
