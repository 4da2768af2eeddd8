/** Mattermost as a chat platform module; it runs when the config has a `mattermost:` section. */
import { defineChatPlatform } from '../../modules/chat-platform.ts';
import { type MattermostConfig, mattermostSection } from './config.ts';
import { mattermostCredentials } from './settings.ts';

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
      if (section?.enabled && !section.actionsUrl) {
        const problem = publicUrlProblem(config.server.publicUrl);
        if (problem) issue(config.server.publicUrl ? ['server', 'publicUrl'] : ['mattermost'], problem);
      }
    },
  },
  enabled: (section) => section?.enabled === true,
  secretVariables: ['MATTERMOST_COMMAND_TOKEN', 'MATTERMOST_BOT_TOKEN', 'MATTERMOST_ACTION_SECRET'],
  secrets: (section) =>
    [section?.commandToken, section?.botToken, section?.actionSecret].filter((v) => v !== undefined),
  credentials: (section, env) => mattermostCredentials(section, env),
  create: async (context) => (await import('./index.ts')).createMattermostPlatform(context),
});

/**
 * Buttons make Mattermost's server call deckhand back (https://developers.mattermost.com/integrate/plugins/interactive-messages/):
 * at localhost they would reach Mattermost's own machine. Refused unless `actionsUrl` says so.
 */
export function publicUrlProblem(publicUrl: string | undefined): string | undefined {
  const how =
    "set server.publicUrl to the address Mattermost reaches deckhand at, or mattermost.actionsUrl to choose the buttons' URL yourself (a Mattermost on this machine)";
  if (!publicUrl)
    return `Mattermost buttons call deckhand back at server.publicUrl, which is not set (they would point at localhost); ${how}`;
  let host: string;
  try {
    host = new URL(publicUrl).hostname;
  } catch {
    return undefined; // the schema reports a malformed URL
  }
  const loopback =
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127\./.test(host) ||
    host === '[::1]' ||
    host === '0.0.0.0';
  return loopback
    ? `server.publicUrl ${publicUrl} is a loopback address: Mattermost's buttons would call their own machine, not deckhand; ${how}`
    : undefined;
}
