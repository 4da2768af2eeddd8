/** Mattermost as a chat platform module; it runs when the config has a `mattermost:` section. */
import { defineChatPlatform } from '../../modules/chat-platform.ts';
import { type MattermostConfig, mattermostSection } from './config.ts';

export const mattermostPlatform = defineChatPlatform<MattermostConfig>({
  name: 'mattermost',
  config: {
    schema: mattermostSection.optional(),
    check(section, config, issue) {
      for (const [group, roles] of Object.entries(section?.groups ?? {})) {
        roles.forEach((r, j) => {
          if (!(r in config.roles))
            issue(['mattermost', 'groups', group, j], `unknown role "${r}"; add it under roles`);
        });
      }
    },
  },
  enabled: (section) => section?.enabled === true,
  secretVariables: ['MATTERMOST_COMMAND_TOKEN', 'MATTERMOST_BOT_TOKEN', 'MATTERMOST_ACTION_SECRET'],
  secrets: (section) =>
    [section?.commandToken, section?.botToken, section?.actionSecret].filter((v) => v !== undefined),
  create: async (context) => (await import('./index.ts')).createMattermostPlatform(context),
});
