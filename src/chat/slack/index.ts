/** The Slack adapter: HTTP endpoints or Socket Mode in, Block Kit through the outbox out. */
import type { ModalView } from '@slack/types';
import type { FastifyPluginAsync } from 'fastify';
import type { Inbound } from '../../core/inbound.ts';
import type { ChatSender } from '../../core/ports.ts';
import type { DedupeStore } from '../../core/store.ts';
import { createSlackSender } from './client.ts';
import { createSlackHandlers } from './handlers.ts';
import { renderSlack } from './render.ts';
import { slackRoutes } from './routes.ts';
import type { SlackSettings } from './settings.ts';
import { createSlackSocket, type SlackSocket } from './socket.ts';
import { createUsergroupRoles } from './usergroups.ts';

export { type SlackSettings, slackSettings } from './settings.ts';

export interface SlackAdapterOptions {
  settings: SlackSettings;
  dedupe: DedupeStore;
  logger: {
    info(o: object, m?: string): void;
    warn(o: object, m?: string): void;
    error(o: object, m?: string): void;
  };
  /** Milliseconds the core may take before the ack says what happens next. */
  ackWithinMs?: number;
}

export interface SlackAdapter {
  sender: ChatSender;
  /** HTTP endpoints (`/slack/commands`, `/slack/interactions`, `/slack/events`), when a signing secret is set. */
  routes(inbound: Inbound): FastifyPluginAsync | undefined;
  /** Connects over Socket Mode when an app token is set. */
  start(inbound: Inbound): Promise<void>;
  stop(): Promise<void>;
}

export function createSlackAdapter(o: SlackAdapterOptions): SlackAdapter {
  const { settings, logger } = o;
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
  const handlers = (inbound: Inbound) =>
    createSlackHandlers({
      inbound,
      dedupe: o.dedupe,
      render,
      usergroups,
      logger,
      ackWithinMs: o.ackWithinMs,
      openModal: async (triggerId, view) => {
        await sender.client.views.open({ trigger_id: triggerId, view: view as unknown as ModalView });
      },
    });
  let socket: SlackSocket | undefined;
  return {
    sender,
    routes(inbound) {
      if (!settings.signingSecret) return undefined;
      return slackRoutes({ signingSecret: settings.signingSecret, handlers: handlers(inbound), logger });
    },
    async start(inbound) {
      if (settings.mode !== 'socket' || !settings.appToken) return;
      socket = createSlackSocket({
        appToken: settings.appToken,
        apiUrl: settings.apiUrl,
        handlers: handlers(inbound),
        logger,
      });
      await socket.start();
      logger.info({}, 'connected to Slack over Socket Mode');
    },
    async stop() {
      await socket?.stop();
    },
  };
}
