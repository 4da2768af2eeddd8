/** The Teams adapter: Bot Framework activities in, the Bot Connector out. */
import type { ChatPlatform, ChatPlatformContext } from '../../modules/chat-platform.ts';
import { failureOf, originOf } from '../../modules/connection.ts';
import { inboundAuth, outboundToken } from './auth.ts';
import type { TeamsConfig } from './config.ts';
import { conversationServiceUrls } from './conversations.ts';
import { createGroupRoles, graphClient } from './groups.ts';
import { teamsRoutes } from './routes.ts';
import { createTeamsSender } from './sender.ts';
import { GRAPH, teamsSettings } from './settings.ts';

export function createTeamsPlatform(context: ChatPlatformContext<TeamsConfig>): ChatPlatform {
  const settings = teamsSettings(context.section as TeamsConfig, context.env);
  const token = outboundToken(settings);
  const serviceUrls = conversationServiceUrls({
    store: context.stores.conversations,
    fallback: settings.serviceUrl,
    allowed: settings.allowedServiceUrls,
  });
  const groups =
    settings.graphTokenUrl && Object.keys(settings.groups).length
      ? createGroupRoles({
          client: graphClient({
            graphUrl: settings.graphUrl,
            token: outboundToken({ ...settings, tokenUrl: settings.graphTokenUrl, scope: GRAPH.scope }),
          }),
          groups: settings.groups,
          ttlMs: settings.groupCacheTtl,
          logger: context.logger,
        })
      : undefined;
  return {
    sender: createTeamsSender({ serviceUrl: settings.serviceUrl, token, serviceUrlOf: serviceUrls.of }),
    routes: teamsRoutes({
      intake: context.intake,
      authenticate: inboundAuth({ appId: settings.appId, openIdUrl: settings.openIdUrl }),
      allowedServiceUrls: settings.allowedServiceUrls,
      serviceUrls,
      groups,
      now: () => context.clock.now(),
      roots: context.roots,
      logger: context.logger,
    }),
    // The Bot Connector needs a token from the token endpoint: ready once one is issued.
    connection: {
      open: () =>
        token().then(
          () => undefined,
          (error: unknown) => {
            throw new Error(
              `the Teams token endpoint at ${originOf(settings.tokenUrl)} issued no token (${failureOf(error)})`,
            );
          },
        ),
    },
  };
}
