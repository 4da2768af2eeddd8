/** The Discord adapter: interactions over HTTP in, the REST API with a bot token out. */
import type { ChatPlatform, ChatPlatformContext } from '../../modules/chat-platform.ts';
import { probe } from '../../modules/connection.ts';
import type { DiscordConfig } from './config.ts';
import { type DeferredReplies, deferredReplies } from './deferred.ts';
import { discordRoutes } from './routes.ts';
import { sealer } from './seal.ts';
import { createDiscordSender, interactionWebhook } from './sender.ts';
import { discordSettings } from './settings.ts';

export async function createDiscordPlatform(
  context: ChatPlatformContext<DiscordConfig>,
): Promise<ChatPlatform> {
  const settings = discordSettings(context.section as DiscordConfig, context.env);
  let deferred: DeferredReplies | undefined;
  const sender = createDiscordSender({
    token: settings.botToken,
    apiUrl: settings.apiUrl,
    incidentCategory: settings.incidentCategory,
    logger: context.logger,
    placeAnswer: (answer, channel, message) =>
      deferred?.place(answer, channel, message) ?? Promise.resolve(undefined),
  });
  const webhook = interactionWebhook(sender.rest, settings.applicationId);
  deferred = deferredReplies({
    store: context.stores.deferredAnswers,
    // Interaction tokens are sealed under a key derived from the bot token (seal.ts).
    sealer: sealer(settings.botToken),
    webhook,
    now: () => context.clock.now(),
    logger: context.logger,
  });
  // What the process before this one deferred and did not answer: answered in place after a restart.
  await deferred.load();
  return {
    sender,
    routes: discordRoutes({
      intake: context.intake,
      webhook,
      deferred,
      publicKey: settings.publicKey,
      families: context.families,
      roles: settings.roles,
      logger: context.logger,
    }),
    // https://discord.com/developers/docs/resources/user#get-current-user: 401 for a bad bot token.
    connection: {
      open: () =>
        probe({
          what: 'the Discord API',
          url: `${(settings.apiUrl ?? 'https://discord.com/api').replace(/\/+$/, '')}/v10/users/@me`,
          headers: { authorization: `Bot ${settings.botToken}` },
        }),
    },
  };
}
