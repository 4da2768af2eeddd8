/** What deckhand reads from an activity: the command line, the conversation, the button; and its settings. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { teamsSection } from '../../../src/chat/teams/config.ts';
import { actionIdOf, activity, commandLine, conversationOf } from '../../../src/chat/teams/parse.ts';
import { serviceUrlAllowed, teamsSettings as settingsOf } from '../../../src/chat/teams/settings.ts';
import { ConfigError } from '../../../src/config/load.ts';
import { parseConfig } from '../../helpers/config.ts';

const teamsSettings = (section: object, env: Record<string, string>) =>
  settingsOf(teamsSection.parse(section), env);

const roots = ['ci'];
const base = {
  type: 'message',
  id: 'a1',
  channelId: 'msteams',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  from: { id: '29:x' },
  conversation: { id: '19:c@thread.tacv2' },
};

describe('Teams activities', () => {
  it('reads a command with or without the mention and the slash, and in a personal chat without the root', () => {
    assert.equal(commandLine('<at>deckhand</at> ci deploy staging', roots), '/ci deploy staging');
    assert.equal(commandLine('<at>deckhand</at>&nbsp;/ci build main', roots), '/ci build main');
    assert.equal(commandLine('/CI help', roots), '/ci help');
    assert.equal(commandLine('deploy staging', roots), '/ci deploy staging');
    assert.equal(commandLine('<p>ci <b>status</b></p>', roots), '/ci status');
  });

  it('splits a channel thread into the channel and its root message', () => {
    assert.deepEqual(conversationOf('19:c@thread.tacv2;messageid=1700000000001'), {
      channel: '19:c@thread.tacv2',
      threadId: '1700000000001',
    });
    assert.deepEqual(conversationOf('a:1personal'), { channel: 'a:1personal' });
  });

  it('finds the button of an Action.Execute invoke and of an Action.Submit message', () => {
    const parse = (value: unknown) => actionIdOf(activity.parse({ ...base, value }));
    assert.equal(parse({ action: { type: 'Action.Execute', verb: 'approve:7', data: {} } }), 'approve:7');
    assert.equal(parse({ actionId: 'reject:7' }), 'reject:7');
    assert.equal(parse({ action: { verb: 42 } }), undefined);
    assert.equal(parse({ actionId: 'x'.repeat(201) }), undefined);
  });

  it('refuses activities without the fields deckhand reads', () => {
    assert.equal(activity.safeParse({ ...base, serviceUrl: 'not a url' }).success, false);
    assert.equal(activity.safeParse({ ...base, from: {} }).success, false);
    assert.equal(
      activity.safeParse({ ...base, channelId: undefined }).success,
      false,
      'no channel to endorse',
    );
    assert.equal(activity.safeParse({ ...base, text: 'x'.repeat(5000) }).success, false);
  });
});

describe('Teams settings', () => {
  const env = { TEAMS_APP_ID: 'id', TEAMS_APP_PASSWORD: 'pw' };
  it('defaults to the public Bot Framework endpoints, a tenant naming its token URL', () => {
    const s = teamsSettings({ enabled: true, tenantId: 'contoso' }, env);
    assert.equal(s.serviceUrl, 'https://smba.trafficmanager.net/teams/');
    assert.equal(s.tokenUrl, 'https://login.microsoftonline.com/contoso/oauth2/v2.0/token');
    assert.ok(serviceUrlAllowed('https://smba.trafficmanager.net/amer/', s.allowedServiceUrls));
    assert.equal(serviceUrlAllowed('https://smba.trafficmanager.net.evil.com/', s.allowedServiceUrls), false);
    assert.equal(serviceUrlAllowed('http://smba.trafficmanager.net/amer/', s.allowedServiceUrls), false);
  });

  it('refuses to start when the send URL is off an explicit allow-list, or the secrets are missing', () => {
    assert.throws(
      () =>
        teamsSettings(
          {
            enabled: true,
            serviceUrl: 'https://x.example.com/',
            serviceUrls: ['https://smba.trafficmanager.net/'],
          },
          env,
        ),
      /not on the teams.serviceUrls allow-list/,
    );
    assert.throws(() => teamsSettings({ enabled: true }, {}), /TEAMS_APP_ID and TEAMS_APP_PASSWORD/);
  });

  it('asks Graph only with a tenant, and checks group ids when the config loads', () => {
    const groups = { 'b2f0c1a4-5d6e-4f70-8a9b-0c1d2e3f4a5b': ['deployer'] };
    assert.throws(
      () => teamsSettings({ groups }, env),
      /teams.groups needs your tenant: set teams.tenantId \(or TEAMS_TENANT_ID\)/,
    );
    const s = teamsSettings({ groups, tenantId: 'contoso' }, env);
    assert.equal(s.graphTokenUrl, 'https://login.microsoftonline.com/contoso/oauth2/v2.0/token');
    assert.equal(s.graphUrl, 'https://graph.microsoft.com');
    assert.equal(s.groupCacheTtl, 300_000);
    const bad = teamsSection.safeParse({ groups: { 'release-managers': ['deployer'] } });
    assert.equal(bad.success, false);
    assert.match(JSON.stringify(bad.error?.issues), /Entra group object id/);
  });

  it('names a group id that is not a GUID, and a role that does not exist, with their line', () => {
    const text = [
      'roles: { deployer: { allow: [{ commands: [build] }] } }',
      'teams:',
      '  groups:',
      '    b2f0c1a4-5d6e-4f70-8a9b-0c1d2e3f4a5b: [deployer, god]',
      '    release-managers: [deployer]',
      '',
    ].join('\n');
    const problems = (yaml: string) => {
      try {
        parseConfig(yaml, '/srv/deckhand/deckhand.yaml', {});
      } catch (error) {
        assert.ok(error instanceof ConfigError, String(error));
        return error.problems.map((p) => `${p.path}@${p.line}: ${p.message}`).join('\n');
      }
      assert.fail('expected a ConfigError');
    };
    assert.match(problems(text), /teams\.groups\.release-managers@5: .*not an Entra group object id/);
    assert.match(
      problems(text.replace('    release-managers: [deployer]\n', '')),
      /teams\.groups\.b2f0c1a4-5d6e-4f70-8a9b-0c1d2e3f4a5b\.1@4: unknown role "god"/,
    );
  });
});
