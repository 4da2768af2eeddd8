import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { renderSlack } from '../../../src/chat/slack/render.ts';
import { eventually } from '../../helpers/recording-sender.ts';
import { startSlackDeckhand } from '../../helpers/slack-deckhand.ts';

type Slack = Awaited<ReturnType<typeof startSlackDeckhand>>;

const form = (payload: unknown) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();

describe('a button that asks for a reason opens a Slack modal', () => {
  let s: Slack;
  before(async () => {
    s = await startSlackDeckhand();
  });
  after(() => s.close());

  it('renders the question into the button, so the click can ask it', () => {
    const { blocks } = renderSlack({
      text: 'x',
      buttons: [{ id: 'reject:7', label: 'Reject', style: 'danger', prompt: 'Why reject?' }],
    });
    const button = JSON.stringify(blocks);
    assert.match(button, /"action_id":"reject:7"/);
    assert.match(button, /"value":"prompt:Why reject\?"/);
  });

  it('the click opens a modal through views.open; submitting it sends the click with the answer', async () => {
    const click = await s.send(
      '/slack/interactions',
      form({
        type: 'block_actions',
        trigger_id: '12345.98765.abcd',
        user: { id: 'U-bob' },
        channel: { id: 'C-general' },
        container: { message_ts: '1700000000.000100', channel_id: 'C-general' },
        actions: [{ action_id: 'reject:424242', value: 'prompt:Why reject? The requester is told.' }],
      }),
    );
    assert.equal(click.statusCode, 200);
    await eventually(() => s.fake.calls.some((c) => c.method === 'views.open'), 'views.open');
    const opened = s.fake.calls.find((c) => c.method === 'views.open')?.body as {
      trigger_id: string;
      view: { callback_id: string; private_metadata: string; blocks: { label: { text: string } }[] };
    };
    assert.equal(opened.trigger_id, '12345.98765.abcd');
    assert.equal(opened.view.blocks[0]?.label.text, 'Why reject? The requester is told.');
    assert.equal(s.fake.calls.filter((c) => c.method === 'chat.postMessage').length, 0, 'nothing acted yet');

    const submit = await s.send(
      '/slack/interactions',
      form({
        type: 'view_submission',
        user: { id: 'U-bob' },
        view: {
          callback_id: opened.view.callback_id,
          private_metadata: opened.view.private_metadata,
          state: { values: { answer: { answer: { type: 'plain_text_input', value: ' not today ' } } } },
        },
      }),
    );
    assert.equal(submit.statusCode, 200);
    assert.equal(submit.body, '', 'an empty 200 closes the modal');
    // The core got the click with its answer: request 424242 does not exist, said in the thread.
    await eventually(
      () =>
        s.fake
          .messagesIn('C-general')
          .some(
            (m) => m.thread_ts === '1700000000.000100' && /There is no request `424242`/.test(m.text ?? ''),
          ),
      'the answer in the thread',
    );
    const [entry] = await s.deckhand.stores.audit.recent(1);
    assert.equal(entry?.text, 'reject:424242 not today');
  });

  it('a view_submission that is not deckhand’s prompt is ignored, not an error', async () => {
    const res = await s.send(
      '/slack/interactions',
      form({
        type: 'view_submission',
        user: { id: 'U-bob' },
        view: { callback_id: 'other', private_metadata: '{' },
      }),
    );
    assert.equal(res.statusCode, 200);
  });
});
