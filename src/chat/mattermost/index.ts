/** The Mattermost adapter: slash commands and button clicks in, REST API v4 posts out. */
import type { ChatPlatform, ChatPlatformContext } from '../../modules/chat-platform.ts';
import { probe } from '../../modules/connection.ts';
import { createMattermostClient } from './client.ts';
import type { MattermostConfig } from './config.ts';
import { createGroupRoles } from './groups.ts';
import { mattermostRoutes } from './routes.ts';
import { createMattermostSender } from './sender.ts';
import { mattermostSettings } from './settings.ts';

export function createMattermostPlatform(context: ChatPlatformContext<MattermostConfig>): ChatPlatform {
  const { config, logger, roots } = context;
  const publicUrl = config.server.publicUrl ?? `http://localhost:${config.server.port}`;
  const settings = mattermostSettings(context.section as MattermostConfig, context.env, publicUrl);
  const client = createMattermostClient({ url: settings.url, token: settings.botToken });
  const groups = Object.keys(settings.groups).length
    ? createGroupRoles({ client, groups: settings.groups, ttlMs: settings.groupCacheTtl, logger })
    : undefined;
  const rootOf = (command: string) =>
    command === settings.command
      ? roots[0]
      : roots.slice(1).find((r) => (settings.commands[r] ?? `/${r}`) === command);
  return {
    sender: createMattermostSender({
      client,
      actionSecret: settings.actionSecret,
      actionsUrl: settings.actionsUrl,
      team: settings.team,
      logger,
    }),
    routes: mattermostRoutes({
      intake: context.intake,
      commandTokens: settings.commandTokens,
      actionSecret: settings.actionSecret,
      rootOf,
      roots,
      groups,
      logger,
    }),
    // https://developers.mattermost.com/api-documentation/#/operations/GetUser ("me"): 401 for a bad token.
    connection: {
      open: () =>
        probe({
          what: 'Mattermost',
          url: `${settings.url}/api/v4/users/me`,
          headers: { authorization: `Bearer ${settings.botToken}` },
        }),
    },
  };
}
