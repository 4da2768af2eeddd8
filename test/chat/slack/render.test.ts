import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { KnownBlock } from '@slack/types';
import {
  checkBlockKitLimits,
  renderSlack,
  type SlackRendered,
  slackLimits,
} from '../../../src/chat/slack/render.ts';
import type { Status } from '../../../src/core/messages.ts';

type Loose = {
  type: string;
  text?: { text: string };
  fields?: { text: string }[];
  elements?: Loose[];
} & Record<string, unknown>;

/** Every block of a rendered message, top-level first, as loose records. */
function allBlocks(r: SlackRendered): Loose[] {
  return [...(r.blocks ?? []), ...(r.attachments?.flatMap((a) => a.blocks ?? []) ?? [])] as Loose[];
}
const top = (r: SlackRendered) => (r.blocks?.[0] ?? { type: 'none' }) as Loose;
const ofType = (r: SlackRendered, type: string) => allBlocks(r).filter((b) => b.type === type);
const sectionText = (r: SlackRendered) => ofType(r, 'section').find((b) => b.text)?.text?.text ?? '';

function assertWithinLimits(r: SlackRendered, label = ''): void {
  assert.deepEqual(checkBlockKitLimits(r), [], label);
}

describe('renderSlack', () => {
  const colours: [Status, string][] = [
    ['succeeded', '#2eb67d'],
    ['failed', '#e01e5a'],
    ['error', '#e01e5a'],
    ['running', '#1d9bd1'],
    ['queued', '#1d9bd1'],
    ['cancelled', '#9e9ea6'],
    ['warning', '#ecb22e'],
    ['info', '#4a154b'],
  ];
  for (const [status, colour] of colours) {
    test(`${status} → ${colour} colour bar, header on top, status named in the fallback`, () => {
      const r = renderSlack({
        header: 'Build #1',
        status,
        text: 'Some body',
        fields: [{ label: 'A', value: 'b' }],
      });
      assert.equal(r.attachments?.length, 1);
      assert.equal(r.attachments?.[0]?.color, colour);
      assert.equal(top(r).type, 'header');
      assert.equal(r.blocks?.length, 1, 'only the header sits outside the attachment');
      if (status !== 'info') assert.match(r.text, new RegExp(status, 'i'));
      assertWithinLimits(r);
    });
  }

  test('a message without status uses top-level blocks only', () => {
    const r = renderSlack({ header: 'Hello', text: 'World' });
    assert.equal(r.attachments, undefined);
    assert.deepEqual(
      r.blocks?.map((b: KnownBlock) => b.type),
      ['header', 'section'],
    );
    assert.equal(r.text, 'Hello\nWorld');
  });

  test('user text cannot mention, link or inject entities', () => {
    const r = renderSlack({
      header: 'Deploy <!channel>',
      status: 'failed',
      text: 'Hi <!channel> see <http://evil.example|x> & `a<b>` done',
      fields: [{ label: 'Branch <!here>', value: 'feat/<@U123>&co' }],
      context: ['by <!everyone>'],
      link: { label: 'Log <x>', url: 'https://ci.example.com/log?a=1&b=<2>|3' },
    });
    const body = sectionText(r);
    assert.equal(body, 'Hi &lt;!channel&gt; see &lt;http://evil.example|x&gt; &amp; `a&lt;b&gt;` done');
    const fields = ofType(r, 'section').flatMap((b) => b.fields ?? []);
    assert.equal(fields[0]?.text, '*Branch &lt;!here&gt;*\nfeat/&lt;@U123&gt;&amp;co');
    const context = ofType(r, 'context').flatMap((b) => b.elements ?? []);
    assert.equal(context[0]?.text, 'by &lt;!everyone&gt;');
    assert.equal(context[1]?.text, '<https://ci.example.com/log?a=1&amp;b=%3C2%3E%7C3|Log &lt;x&gt;>');
    assert.doesNotMatch(r.text, /<!channel>/);
    // The header is plain_text, which Slack never parses for mentions: shown as typed.
    assert.equal(top(r).text?.text, '❌ Deploy <!channel>');
  });

  test('only http(s) links are rendered', () => {
    for (const url of ['javascript:alert(1)', 'ftp://x.example/a', 'not a url', '']) {
      const r = renderSlack({ text: 'x', link: { label: 'Log', url } });
      assert.equal(ofType(r, 'context').length, 0, url);
    }
  });

  test('a 100 KB log in a fenced block is truncated at a line, fence closed, note with the link', () => {
    const log = Array.from({ length: 2000 }, (_, i) => `[${i}] step output <tag> & more`).join('\n');
    assert.ok(log.length > 60_000);
    const text = `Step failed:\n\`\`\`\n${log}\n${'x'.repeat(40_000)}\n\`\`\``;
    const r = renderSlack({
      header: 'Step 2: test failed',
      status: 'failed',
      text,
      link: { label: 'Log', url: 'https://ci.example.com/runs/7/log' },
    });
    assertWithinLimits(r);
    const body = sectionText(r);
    assert.ok(body.length <= slackLimits.sectionText);
    assert.ok(body.length > 2500, 'uses most of the room');
    assert.ok(body.startsWith('Step failed:\n```\n[0] step output &lt;tag&gt; &amp; more\n'));
    assert.ok(body.endsWith('\n```\n… (truncated; full log: <https://ci.example.com/runs/7/log|link>)'));
    assert.equal(body.split('```').length, 3, 'one opening and one closing fence');
    const lastLogLine = body.split('\n').at(-3) ?? '';
    assert.match(lastLogLine, /^\[\d+\] step output &lt;tag&gt; &amp; more$/, 'cut at a line boundary');
  });

  test('truncation without any link says so plainly; options.fallbackUrl is used when given', () => {
    const text = Array.from({ length: 500 }, (_, i) => `line ${i}`)
      .join('\n')
      .repeat(3);
    const plain = sectionText(renderSlack({ text }));
    assert.ok(plain.endsWith('\n… (truncated)'));
    const withUrl = sectionText(renderSlack({ text }, { fallbackUrl: 'https://deckhand.example/m/1' }));
    assert.ok(withUrl.endsWith('(truncated; full log: <https://deckhand.example/m/1|link>)'));
  });

  test('one enormous line is cut inside itself, keeping the fence closed', () => {
    const r = renderSlack({ status: 'failed', header: 'x', text: `\`\`\`\n${'&'.repeat(100_000)}\n\`\`\`` });
    assertWithinLimits(r);
    const body = sectionText(r);
    assert.ok(body.startsWith('```\n&amp;&amp;'));
    assert.ok(body.endsWith('…\n```\n… (truncated)'));
    assert.ok(!/&(?!amp;)/.test(body.replace(/&amp;/g, '')), 'no entity split in half');
  });

  test('30 fields → sections of at most 10', () => {
    const fields = Array.from({ length: 30 }, (_, i) => ({ label: `F${i}`, value: 'v'.repeat(i * 100) }));
    const r = renderSlack({ header: 'Fields', status: 'info', fields });
    const sections = ofType(r, 'section').filter((b) => b.fields);
    assert.deepEqual(
      sections.map((s) => s.fields?.length),
      [10, 10, 10],
    );
    assert.equal(sections[2]?.fields?.[9]?.text.startsWith('*F29*\n'), true);
    assertWithinLimits(r);
  });

  test('a field longer than 2000 chars is truncated', () => {
    const r = renderSlack({ fields: [{ label: 'Log', value: '<'.repeat(3000) }] });
    const field = ofType(r, 'section')[0]?.fields?.[0]?.text ?? '';
    assert.ok(field.length <= slackLimits.fieldText && field.endsWith('…'));
    assertWithinLimits(r);
  });

  test('40 buttons → actions blocks of at most 25, 2000 buttons still ≤ 50 blocks', () => {
    const buttons = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ id: `b:${i}`, label: `Button ${i}` }));
    const r = renderSlack({ header: 'Many', status: 'running', text: 'Pick one', buttons: buttons(40) });
    assert.deepEqual(
      ofType(r, 'actions').map((a) => a.elements?.length),
      [25, 15],
    );
    assertWithinLimits(r);

    const many = renderSlack({
      header: 'Lots',
      status: 'running',
      text: 'Pick',
      buttons: buttons(2000),
      fields: [{ label: 'a', value: 'b' }],
      context: ['c'],
    });
    assert.equal(allBlocks(many).length, slackLimits.blocks);
    assert.deepEqual(
      allBlocks(many)
        .slice(0, 2)
        .map((b) => b.type),
      ['header', 'section'],
    );
    assertWithinLimits(many);
  });

  test('fields and context are dropped before header, text and actions; the link survives', () => {
    const r = renderSlack({
      header: 'Crowded',
      status: 'warning',
      text: 'Body',
      fields: Array.from({ length: 450 }, (_, i) => ({ label: `F${i}`, value: 'v' })),
      context: Array.from({ length: 100 }, (_, i) => `ctx ${i}`),
      link: { label: 'Details', url: 'https://ci.example.com/1' },
      buttons: [{ id: 'ok', label: 'OK', style: 'primary' }],
    });
    assertWithinLimits(r);
    const types = allBlocks(r).map((b) => b.type);
    assert.equal(types.length, 50);
    assert.deepEqual(types.slice(0, 2), ['header', 'section']);
    assert.equal(types.at(-1), 'actions');
    assert.equal(types.at(-2), 'context');
    const lastContext = ofType(r, 'context').at(-1)?.elements?.at(-1);
    assert.equal(lastContext?.text, '<https://ci.example.com/1|Details>');
  });

  test('button shape: ids, styles, and a confirm dialog on danger', () => {
    const r = renderSlack({
      text: 'Deploy v2 to production?',
      buttons: [
        { id: 'approve:5', label: 'Approve', style: 'primary' },
        { id: 'reject:5', label: 'Reject', style: 'danger' },
        { id: 'details:5', label: 'Details', style: 'default' },
        { id: 'long:5', label: 'L'.repeat(200) },
      ],
    });
    const [approve, reject, details, long] = ofType(r, 'actions')[0]?.elements ?? [];
    assert.deepEqual(approve, {
      type: 'button',
      action_id: 'approve:5',
      value: 'approve:5',
      text: { type: 'plain_text', text: 'Approve', emoji: true },
      style: 'primary',
    });
    assert.equal(reject?.style, 'danger');
    const confirm = reject?.confirm as Record<string, { text: string }> & { style: string };
    assert.equal(confirm.title?.text, 'Are you sure?');
    assert.match(confirm.text?.text ?? '', /reject/i);
    assert.equal(confirm.confirm?.text, 'Reject');
    assert.ok(confirm.deny?.text);
    assert.equal(confirm.style, 'danger');
    assert.equal('style' in (details ?? {}), false, 'default style is omitted');
    assert.equal((long?.text as { text: string } | undefined)?.text.length, slackLimits.buttonText);
    assertWithinLimits(r);
  });

  test('a 400-char header is truncated to 150 with an ellipsis', () => {
    const r = renderSlack({ header: 'H'.repeat(400), status: 'succeeded' });
    const header = top(r).text?.text ?? '';
    assert.equal(header.length, slackLimits.headerText);
    assert.ok(header.startsWith('✅ HHH') && header.endsWith('H…'));
    assertWithinLimits(r);
  });

  test('the validator reports what it finds', () => {
    const bad: SlackRendered = {
      text: 'x'.repeat(3001),
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) }, block_id: 'b'.repeat(256) },
        {
          type: 'section',
          fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn' as const, text: 'f' })),
        },
        {
          type: 'context',
          elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn' as const, text: 'c' })),
        },
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: 'a',
              text: { type: 'plain_text', text: 't'.repeat(76) },
              value: 'v'.repeat(2001),
              url: `https://x.example/${'u'.repeat(3000)}`,
              confirm: {
                title: { type: 'plain_text', text: 't'.repeat(101) },
                text: { type: 'plain_text', text: 't'.repeat(301) },
                confirm: { type: 'plain_text', text: 't'.repeat(31) },
                deny: { type: 'plain_text', text: 't'.repeat(31) },
              },
            },
          ],
        },
        ...Array.from({ length: 47 }, () => ({ type: 'divider' as const })),
      ],
    };
    const problems = checkBlockKitLimits(bad).join('\n');
    for (const expected of [
      /text is 3001/,
      /51 blocks/,
      /header text is 151/,
      /block_id is 256/,
      /11 fields/,
      /11 context elements/,
      /button text is 76/,
      /button value is 2001/,
      /button url is 3018/,
      /confirm title is 101/,
      /confirm text is 301/,
      /confirm button is 31/,
      /deny button is 31/,
    ]) {
      assert.match(problems, expected);
    }
  });
});
