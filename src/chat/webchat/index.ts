/** The local web chat: deckhand's built-in chat adapter, a page plus a small JSON and SSE API. */
import type { FastifyPluginAsync } from 'fastify';
import type { LoadedConfig } from '../../config/load.ts';
import type { Intake } from '../../core/intake.ts';
import { type ChatSender, type Clock, systemClock } from '../../core/ports.ts';
import type { TranscriptStore } from '../../core/store.ts';
import { registerApiRoutes } from './api-routes.ts';
import { createWebchatDirectory } from './directory.ts';
import { createEventHub } from './event-hub.ts';
import { createPublisher } from './publisher.ts';
import { createWebchatSender } from './sender.ts';
import { loadAssets, registerStaticRoutes } from './static-routes.ts';

export type { WebchatAction, WebchatMessageView } from './render.ts';
export { renderWebchat } from './render.ts';

/** What the web chat needs from the server. */
export interface WebchatAdapterOptions {
  /** Where its messages are kept. */
  transcript: TranscriptStore;
  config: LoadedConfig;
  /** Where typed commands and clicks go. */
  intake: Intake;
  /** The page's title. */
  title?: string;
  clock?: Clock;
}

/** The web chat adapter: an outbound sender, routes to mount at the app root, and shutdown. */
export interface WebchatAdapter {
  /** Platform `webchat`; posts and updates bot messages and announces them live. */
  sender: ChatSender;
  /** The page, the JSON API and the event stream. */
  routes: FastifyPluginAsync;
  /** Ends every open event stream so the server can shut down. */
  close(): void;
}

/** Builds the web chat adapter; reads the page's files now, once. */
export function createWebchatAdapter(options: WebchatAdapterOptions): WebchatAdapter {
  const { transcript: store, config, intake, clock = systemClock } = options;
  const directory = createWebchatDirectory(config);
  const hub = createEventHub();
  const publish = createPublisher(store, hub);
  const sender = createWebchatSender(store, publish, clock, directory);
  const assets = loadAssets();
  const title = options.title ?? 'deckhand';
  return {
    sender,
    routes: async (app) => {
      // Open event streams would otherwise keep app.close() waiting forever.
      app.addHook('preClose', async () => hub.close());
      await registerStaticRoutes(app, assets);
      await registerApiRoutes(app, { title, store, directory, hub, publish, intake, clock });
    },
    close: () => hub.close(),
  };
}
