import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WebClient } from '@slack/web-api';
import { createSlackHandlers } from '../../../src/chat/slack/handlers.ts';
import { createUsergroupRoles } from '../../../src/chat/slack/usergroups.ts';
import type { CommandRequest } from '../../../src/core/inbound.ts';
import type { Intake, IntakeOptions } from '../../../src/core/intake.ts';
import { type SlackFake, startSlackFake } from '../../fakes/slack-api.ts';
import { quietLogger } from '../../helpers/recording-sender.ts';

describe('Slack user groups grant roles', () => {
  let fake: SlackFake;
  let client: WebClient;
  before(async () => {
    fake = await startSlackFake();
    fake.usergroups = { 'S-release': ['U-bob', 'U-carol'], 'S-ops': ['U-carol'] };
    client = new WebClient('xoxb-test', { slackApiUrl: fake.url, retryConfig: { retries: 0 } });
  });
  after(() => fake.close());

  it('maps membership to roles, reading each group once per TTL', async () => {
    let now = 0;
    const roles = createUsergroupRoles({
      client,
      groups: { 'S-release': ['release-manager'], 'S-ops': ['release-manager', 'operator'] },
      ttlMs: 60_000,
      now: () => now,
      logger: quietLogger,
    });
    assert.deepEqual(await roles.rolesFor('U-bob'), ['release-manager']);
    assert.deepEqual(await roles.rolesFor('U-carol'), ['release-manager', 'operator']);
    assert.deepEqual(await roles.rolesFor('U-alice'), []);
    const reads = () => fake.calls.filter((c) => c.method === 'usergroups.users.list').length;
    assert.equal(reads(), 2, 'one read per group, then the cache');
    fake.usergroups['S-release'] = ['U-alice'];
    assert.deepEqual(await roles.rolesFor('U-alice'), [], 'still cached');
    now = 61_000;
    assert.deepEqual(await roles.rolesFor('U-alice'), ['release-manager'], 'read again after the TTL');
    fake.failNext('usergroups.users.list', { error: 'internal_error' });
    fake.failNext('usergroups.users.list', { error: 'internal_error' });
    now = 200_000;
    assert.deepEqual(
      await roles.rolesFor('U-alice'),
      ['release-manager'],
      'a failed read keeps what was known',
    );
  });

  it('the command handler passes the roles to the intake with the request', async () => {
    const seen: { request: CommandRequest; options?: IntakeOptions }[] = [];
    const intake: Intake = {
      command: async (request, options) => {
        seen.push({ request, options });
        return { duplicate: false, reply: { message: { status: 'info', text: 'ok' }, queued: false } };
      },
      action: async () => ({ duplicate: false }),
      record: async () => true,
      handle: () => undefined,
    };
    const handlers = createSlackHandlers({
      intake,
      rootOf: (c) => (c === '/ci' ? 'ci' : undefined),
      roots: ['ci'],
      render: (m) => ({ text: m.text ?? '' }),
      usergroups: { rolesFor: async (u) => (u === 'U-bob' ? ['release-manager'] : []) },
      logger: quietLogger,
    });
    const ack = await handlers.command({
      command: '/ci',
      text: 'status',
      user_id: 'U-bob',
      channel_id: 'C1',
    });
    assert.deepEqual(ack, { response_type: 'ephemeral', text: 'ok' });
    assert.deepEqual(seen[0]?.request.extraRoles, ['release-manager']);
    assert.equal(seen[0]?.request.text, '/ci status');
    assert.equal(seen[0]?.options?.answerWithinMs, 1500);
  });
});
