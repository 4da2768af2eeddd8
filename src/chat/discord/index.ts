/** The Discord adapter: interactions over HTTP in, the REST API with a bot token out. */
import type { ChatPlatform, ChatPlatformContext } from '../../modules/chat-platform.ts';
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
  };
}
