/** Mattermost rendering: attachments with colour, fields and signed buttons, within 16,383 characters. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actionContext, verifyAction } from '../../../src/chat/mattermost/actions.ts';
import {
  escapeMarkdown,
  POST_LIMIT,
  renderMattermost,
  statusColor,
} from '../../../src/chat/mattermost/render.ts';

const size = (post: ReturnType<typeof renderMattermost>) => {
  const a = post.props.attachments?.[0];
  return (
    post.message.length +
    (a?.fallback.length ?? 0) +
    (a?.title?.length ?? 0) +
    (a?.text?.length ?? 0) +
    (a?.footer?.length ?? 0) +
    (a?.fields ?? []).reduce((n, f) => n + f.title.length + f.value.length, 0)
  );
};

describe('Mattermost rendering', () => {
  it('renders a card as an attachment with its status colour, fields and buttons', () => {
    const bind = (action: string) => ({
      url: 'https://deckhand.test/mattermost/actions',
      context: actionContext('k'.repeat(32), 'c1', action),
    });
    const post = renderMattermost(
      {
        header: 'Build #3 failed',
        status: 'failed',
        text: 'Step `compile` failed',
        fields: [{ label: 'Branch', value: 'main' }],
        context: ['by Alice'],
        buttons: [
          { id: 'rerun:3', label: 'Rerun', style: 'primary' },
          { id: 'cancel:3', label: 'Cancel', style: 'danger' },
        ],
      },
      bind,
    );
    const a = post.props.attachments?.[0];
    assert.equal(a?.color, statusColor.failed);
    assert.match(a?.title ?? '', /Build #3 failed/);
    assert.deepEqual(a?.fields, [{ title: 'Branch', value: 'main', short: true }]);
    assert.deepEqual(
      a?.actions?.map((b) => [b.id, b.name, b.style]),
      [
        ['a0', 'Rerun', 'primary'],
        ['a1', 'Cancel', 'danger'],
      ],
    );
    const context = a?.actions?.[0]?.integration.context;
    assert.ok(context && verifyAction('k'.repeat(32), 'c1', context), 'the button is signed for its channel');
    assert.ok(context && !verifyAction('k'.repeat(32), 'c2', context), 'and only for its channel');
    assert.equal(context?.action, 'rerun:3');
  });

  it('keeps the whole post within 16,383 characters, saying it was cut', () => {
    const post = renderMattermost({
      header: 'x'.repeat(2000),
      status: 'info',
      text: 'line\n'.repeat(10_000),
      fields: Array.from({ length: 40 }, (_, i) => ({ label: `f${i}`.repeat(100), value: 'v'.repeat(5000) })),
      context: ['c'.repeat(5000)],
    });
    assert.ok(size(post) <= POST_LIMIT, `${size(post)} characters`);
    assert.match(post.props.attachments?.[0]?.text ?? '', /truncated/);
    const plain = renderMattermost({ text: 'y'.repeat(40_000) });
    assert.ok(plain.message.length <= POST_LIMIT);
  });

  it('user text can neither format nor notify anyone', () => {
    const escaped = escapeMarkdown('@channel *bold* [x](http://evil) keep `@here *x*`');
    assert.doesNotMatch(escaped, /@channel/, 'no channel-wide mention');
    assert.match(escaped, /\\\*bold\\\*/);
    assert.match(escaped, /\\\[x\\\]\\\(http:\/\/evil\\\)/);
    assert.match(escaped, /`@here \*x\*`/, 'code spans are kept as they are');
  });

  it('links only to http(s) URLs', () => {
    const ok = renderMattermost({ text: 'see', link: { label: 'log', url: 'https://ci.test/1' } });
    assert.match(ok.message, /\[log\]\(https:\/\/ci\.test\/1\)/);
    const bad = renderMattermost({ text: 'see', link: { label: 'log', url: 'javascript:alert(1)' } });
    assert.doesNotMatch(bad.message, /javascript/);
  });
});
