/** Discord rendering: embeds with status colours and fields, buttons in rows, within Discord's limits. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  discordLimits,
  escapeMarkdown,
  renderDiscord,
  statusColor,
} from '../../../src/chat/discord/render.ts';

describe('Discord rendering', () => {
  it('renders a card as an embed with its colour, fields and styled buttons, mentioning nobody', () => {
    const out = renderDiscord({
      header: 'Build #3 failed',
      status: 'failed',
      text: 'Step `compile` failed',
      fields: [{ label: 'Branch', value: 'main' }],
      context: ['by Alice'],
      buttons: [
        { id: 'rerun:3', label: 'Rerun', style: 'primary' },
        { id: 'cancel:3', label: 'Cancel', style: 'danger' },
        { id: 'logs:3', label: 'Logs' },
      ],
    });
    const embed = out.embeds?.[0];
    assert.equal(embed?.color, statusColor.failed);
    assert.match(embed?.title ?? '', /Build #3 failed/);
    assert.deepEqual(embed?.fields, [{ name: 'Branch', value: 'main', inline: true }]);
    assert.equal(embed?.footer?.text, 'by Alice');
    const rows = out.components as { components: { style: number; custom_id: string }[] }[];
    const buttons = rows[0]?.components ?? [];
    assert.deepEqual(
      buttons.map((b) => [b.style, b.custom_id]),
      [
        [1, 'rerun:3'],
        [4, 'cancel:3'],
        [2, 'logs:3'],
      ],
    );
    assert.deepEqual(out.allowed_mentions, { parse: [] });
  });

  it('stays within every limit whatever the message holds', () => {
    const out = renderDiscord({
      header: 'h'.repeat(1000),
      status: 'info',
      text: 'line\n'.repeat(5000),
      fields: Array.from({ length: 40 }, (_, i) => ({ label: `f${i}`.repeat(100), value: 'v'.repeat(3000) })),
      context: ['c'.repeat(5000)],
      buttons: Array.from({ length: 30 }, (_, i) => ({ id: `b:${i}`, label: 'x'.repeat(100) })),
    });
    const e = out.embeds?.[0];
    const total =
      (e?.title?.length ?? 0) +
      (e?.description?.length ?? 0) +
      (e?.footer?.text.length ?? 0) +
      (e?.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
    assert.ok(total <= discordLimits.embedTotal, `${total} characters`);
    assert.ok((e?.title?.length ?? 0) <= 256 && (e?.fields?.length ?? 0) <= 25);
    assert.ok((e?.fields ?? []).every((f) => f.name.length <= 256 && f.value.length <= 1024));
    const rows = out.components as { components: { label: string }[] }[];
    assert.ok(rows.length <= 5 && rows.every((r) => r.components.length <= 5));
    assert.ok(rows.every((r) => r.components.every((b) => b.label.length <= 80)));
    assert.ok((renderDiscord({ text: 'y'.repeat(9000) }).content ?? '').length <= 2000);
  });

  it('user text cannot format or mention', () => {
    const escaped = escapeMarkdown('**bold** [x](http://evil) keep `**x**`');
    assert.match(escaped, /\\\*\\\*bold\\\*\\\*/);
    assert.match(escaped, /\\\[x\\\]\\\(http:\/\/evil\\\)/);
    assert.match(escaped, /`\*\*x\*\*`/);
    assert.deepEqual(renderDiscord({ text: '@everyone' }).allowed_mentions, { parse: [] });
  });
});
