/** Microsoft Teams as a chat platform module; its SDKs load only when the config has a `teams:` section. */
import { defineChatPlatform } from '../../modules/chat-platform.ts';
import { teamsCli } from './cli.ts';
import { type TeamsConfig, teamsSection } from './config.ts';

export const teamsPlatform = defineChatPlatform<TeamsConfig>({
  name: 'teams',
  config: { schema: teamsSection.optional() },
  enabled: (section) => section?.enabled === true,
  secretVariables: ['TEAMS_APP_PASSWORD'],
  secrets: (section) => [section?.appPassword].filter((v) => v !== undefined),
  create: async (context) => (await import('./index.ts')).createTeamsPlatform(context),
  cli: teamsCli,
});
