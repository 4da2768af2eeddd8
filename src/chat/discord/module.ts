/** Discord as a chat platform module; its SDKs load only when the config has a `discord:` section. */
import { defineChatPlatform } from '../../modules/chat-platform.ts';
import { discordCli } from './cli.ts';
import { type DiscordConfig, discordSection } from './config.ts';
import { discordCredentials } from './settings.ts';

export const discordPlatform = defineChatPlatform<DiscordConfig>({
  name: 'discord',
  config: {
    schema: discordSection.optional(),
    check(section, config, issue) {
      for (const [role, granted] of Object.entries(section?.roles ?? {})) {
        granted.forEach((r, j) => {
          if (!(r in config.roles))
            issue(['discord', 'roles', role, j], `unknown role "${r}"; add it under roles`);
        });
      }
    },
  },
  enabled: (section) => section?.enabled === true,
  secretVariables: ['DISCORD_BOT_TOKEN'],
  secrets: (section) => [section?.botToken].filter((v) => v !== undefined),
  credentials: (section, env) => discordCredentials(section, env),
  create: async (context) => (await import('./index.ts')).createDiscordPlatform(context),
  cli: discordCli,
});
