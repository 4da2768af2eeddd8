/**
 * The one explicit list of the modules deckhand ships with. Adding a chat platform, a CI system,
 * a command family or a store driver is one folder and one line here.
 */
import { discordPlatform } from '../chat/discord/module.ts';
import { mattermostPlatform } from '../chat/mattermost/module.ts';
import { slackPlatform } from '../chat/slack/module.ts';
import { teamsPlatform } from '../chat/teams/module.ts';
import { webchatPlatform } from '../chat/webchat/module.ts';
import { circleciSystem } from '../ci/circleci/module.ts';
import { githubSystem } from '../ci/github/module.ts';
import { gitlabSystem } from '../ci/gitlab/module.ts';
import { jenkinsSystem } from '../ci/jenkins/module.ts';
import { localSystem } from '../ci/local/module.ts';
import { ciFamily } from '../commands/ci/index.ts';
import { incidentFamily } from '../commands/incident/index.ts';
import { oncallFamily } from '../commands/oncall/index.ts';
import { opsFamily } from '../commands/ops/index.ts';
import { sqliteDriver } from '../store/sqlite/index.ts';
import type { ChatPlatformModule, DeckhandModules } from './index.ts';

export const builtinModules: DeckhandModules = {
  chat: [
    webchatPlatform,
    slackPlatform,
    mattermostPlatform,
    discordPlatform,
    teamsPlatform,
  ] as ChatPlatformModule<never>[],
  ci: [localSystem, githubSystem, gitlabSystem, jenkinsSystem, circleciSystem],
  commands: [ciFamily, opsFamily, incidentFamily, oncallFamily],
  stores: [sqliteDriver],
};
