/** The Discord adapter: interactions over HTTP in, the REST API with a bot token out. */
import type { ChatPlatform, ChatPlatformContext } from '../../modules/chat-platform.ts';
import { probe } from '../../modules/connection.ts';
import type { DiscordConfig } from './config.ts';
import { discordRoutes } from './routes.ts';
import { createDiscordSender, interactionWebhook } from './sender.ts';
import { discordSettings } from './settings.ts';

export function createDiscordPlatform(context: ChatPlatformContext<DiscordConfig>): ChatPlatform {
  const settings = discordSettings(context.section as DiscordConfig, context.env);
  const sender = createDiscordSender({ token: settings.botToken, apiUrl: settings.apiUrl });
  return {
    sender,
    routes: discordRoutes({
      intake: context.intake,
      webhook: interactionWebhook(sender.rest, settings.applicationId),
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
