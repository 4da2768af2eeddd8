/** The local web chat as a chat platform module: on by default, no accounts anywhere. */
import { z } from 'zod';
import { defineChatPlatform } from '../../modules/chat-platform.ts';
import { createWebchatAdapter } from './index.ts';

const section = z
  .strictObject({ enabled: z.boolean().default(true), title: z.string().default('deckhand') })
  .prefault({});

export const webchatPlatform = defineChatPlatform<z.output<typeof section>>({
  name: 'webchat',
  config: { schema: section },
  enabled: (s) => s?.enabled !== false,
  // Its channels are named by their configured ids.
  channelsById: true,
  async create(context) {
    const adapter = createWebchatAdapter({
      transcript: context.stores.transcript,
      config: context.config,
      intake: context.intake,
      title: context.section?.title,
      clock: context.clock,
    });
    return {
      sender: adapter.sender,
      routes: adapter.routes,
      stop: async () => adapter.close(),
    };
  },
});
