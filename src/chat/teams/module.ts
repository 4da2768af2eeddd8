/** Microsoft Teams as a chat platform module; its SDKs load only when the config has a `teams:` section. */
import { defineChatPlatform } from '../../modules/chat-platform.ts';
import { teamsCli } from './cli.ts';
import { type TeamsConfig, teamsSection } from './config.ts';
import { teamsCredentials } from './settings.ts';

export const teamsPlatform = defineChatPlatform<TeamsConfig>({
  name: 'teams',
  config: { schema: teamsSection.optional() },
  enabled: (section) => section?.enabled === true,
  secretVariables: ['TEAMS_APP_PASSWORD'],
  secrets: (section) => [section?.appPassword].filter((v) => v !== undefined),
  credentials: (section, env) => teamsCredentials(section, env),
  create: async (context) => (await import('./index.ts')).createTeamsPlatform(context),
  cli: teamsCli,
});
