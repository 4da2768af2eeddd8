import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  blockActions,
  mentionToCommand,
  parseSlashCommand,
  SlackPayloadError,
} from '../../../src/chat/slack/parse.ts';

describe('Slack payloads', () => {
  const mentions: [string, string][] = [
    ['<@U0BOT> deploy staging', '/ci deploy staging'],
    ['<@U0BOT|deckhand> /ci build main', '/ci build main'],
    ['hey <@U0BOT> ci status', '/ci status'],
    ['hey <@U0BOT> status please <@U0OTHER>', '/ci status please'],
    ['<@U0BOT>', '/ci'],
    ['<@U0BOT> build "a b"', '/ci build "a b"'],
  ];
  for (const [text, expected] of mentions) {
    it(`mention ${JSON.stringify(text)} → ${expected}`, () => assert.equal(mentionToCommand(text), expected));
  }

  it('reads a slash command and refuses one without its ids', () => {
    const form = new URLSearchParams({
      command: '/ci',
      text: 'help',
      user_id: 'U1',
      channel_id: 'C1',
      team_id: 'T',
    });
    assert.deepEqual(
      { ...parseSlashCommand(form) },
      {
        command: '/ci',
        text: 'help',
        user_id: 'U1',
        channel_id: 'C1',
        team_id: 'T',
      },
    );
    assert.throws(
      () => parseSlashCommand(new URLSearchParams({ command: '/ci', text: 'x' })),
      SlackPayloadError,
    );
  });

  it('turns block_actions into one request per action, and ignores other payload types', () => {
    const payload = {
      type: 'block_actions',
      user: { id: 'U1' },
      channel: { id: 'C1' },
      container: { message_ts: '1.2' },
      actions: [{ action_id: 'cancel:3' }, { action_id: 'rerun:3' }],
    };
    assert.deepEqual(
      blockActions(payload).map((a) => a.actionId),
      ['cancel:3', 'rerun:3'],
    );
    assert.equal(blockActions(payload)[0]?.messageId, '1.2');
    assert.deepEqual(blockActions({ type: 'view_submission' }), []);
    assert.throws(() => blockActions({ type: 'block_actions', actions: [] }), /needs user\.id/);
    assert.throws(() => blockActions(null), SlackPayloadError);
  });
});
