/** Slack as a chat platform module; its SDKs load only when the config has a `slack:` section. */
import { defineChatPlatform } from '../../modules/chat-platform.ts';
import { slackCli } from './cli.ts';
import { type SlackConfig, slackSection } from './config.ts';
import { slackCredentials } from './settings.ts';

export const slackPlatform = defineChatPlatform<SlackConfig>({
  name: 'slack',
  config: {
    schema: slackSection.optional(),
    check(section, config, issue) {
      for (const [group, roles] of Object.entries(section?.usergroups ?? {})) {
        roles.forEach((r, j) => {
          if (!(r in config.roles))
            issue(['slack', 'usergroups', group, j], `unknown role "${r}"; add it under roles`);
        });
      }
    },
  },
  enabled: (section) => section?.enabled === true,
  secretVariables: ['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN'],
  secrets: (section) =>
    [section?.signingSecret, section?.botToken, section?.appToken].filter((v) => v !== undefined),
  credentials: (section, env) => slackCredentials(section, env),
  create: async (context) => (await import('./index.ts')).createSlackPlatform(context),
  cli: slackCli,
});
