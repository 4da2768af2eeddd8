import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ChannelMessage, checkChannel } from '../../bench/lib/chat-audit.ts';

const card = (ts: string, runId: number, status: string): ChannelMessage => ({
  ts,
  text: `Build #${runId} ${status}`,
  blocks: [{ type: 'header', text: { type: 'plain_text', text: `Build #${runId} ${status}` } }],
});
const reply = (ts: string, parent: string, steps: number[]): ChannelMessage => {
  const text = steps.map((n) => `Step ${n}: job-${n} succeeded`).join('\n');
  // As Slack renders it: the text once in the fallback and again in the blocks.
  return { ts, thread_ts: parent, text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
};

describe("the burst benchmark's accounting", () => {
  it('finds nothing wrong when each run is posted once, final, with each step once', () => {
    const messages = [card('1', 1, 'succeeded'), reply('2', '1', [1, 2]), reply('3', '1', [3])];
    assert.deepEqual(checkChannel(messages, [{ runId: 1, steps: 3, status: 'succeeded' }]), {
      lost: 0,
      duplicated: 0,
    });
  });

  it('counts a missing run with all its steps, a stale state and a missing step as lost', () => {
    const messages = [card('1', 1, 'running'), reply('2', '1', [1])];
    const expected = [
      { runId: 1, steps: 2, status: 'succeeded' },
      { runId: 12, steps: 3, status: 'succeeded' },
    ];
    // Run 1: stale state (1) and step 2 missing (1); run 12: not posted (1 + 3). "Build #1" is not "Build #12".
    assert.deepEqual(checkChannel(messages, expected), { lost: 6, duplicated: 0 });
  });

  it('counts a run posted twice and a step repeated as duplicated', () => {
    const messages = [
      card('1', 1, 'succeeded'),
      card('2', 1, 'succeeded'),
      reply('3', '1', [1, 2]),
      reply('4', '1', [2]),
    ];
    assert.deepEqual(checkChannel(messages, [{ runId: 1, steps: 2, status: 'succeeded' }]), {
      lost: 0,
      duplicated: 2,
    });
  });
});
