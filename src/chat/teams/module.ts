/** Microsoft Teams as a chat platform module; its SDKs load only when the config has a `teams:` section. */
import { defineChatPlatform } from '../../modules/chat-platform.ts';
import { teamsCli } from './cli.ts';
import { type TeamsConfig, teamsSection } from './config.ts';
import { teamsCredentials } from './settings.ts';

export const teamsPlatform = defineChatPlatform<TeamsConfig>({
  name: 'teams',
  config: {
    schema: teamsSection.optional(),
    check(section, config, issue) {
      for (const [group, roles] of Object.entries(section?.groups ?? {}))
        roles.forEach((r, j) => {
          if (!(r in config.roles))
            issue(['teams', 'groups', group, j], `unknown role "${r}"; add it under roles`);
        });
    },
  },
  enabled: (section) => section?.enabled === true,
  secretVariables: ['TEAMS_APP_PASSWORD'],
  secrets: (section) => [section?.appPassword].filter((v) => v !== undefined),
  credentials: (section, env) => teamsCredentials(section, env),
  create: async (context) => (await import('./index.ts')).createTeamsPlatform(context),
  cli: teamsCli,
});
