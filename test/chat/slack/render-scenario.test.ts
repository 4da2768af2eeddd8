// A build → test → deploy → rollback day rendered with the real core message builders.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkBlockKitLimits, renderSlack, type SlackRendered } from '../../../src/chat/slack/render.ts';
import { ciFamily } from '../../../src/commands/ci/index.ts';
import { helpMessage } from '../../../src/core/commands/help.ts';
import type { Command } from '../../../src/core/commands/types.ts';
import type { Message } from '../../../src/core/messages.ts';
import {
  type RenderContext,
  replyMessage,
  runMessage,
  stepMessage,
} from '../../../src/core/notify/run-message.ts';
import type { RunRecord } from '../../../src/core/store.ts';

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
const ofType = (r: SlackRendered, type: string) => allBlocks(r).filter((b) => b.type === type);
const sectionText = (r: SlackRendered) => ofType(r, 'section').find((b) => b.text)?.text?.text ?? '';

function assertWithinLimits(r: SlackRendered, label = ''): void {
  assert.deepEqual(checkBlockKitLimits(r), [], label);
}

describe('renderSlack with the real message builders', () => {
  const ctx: RenderContext = {
    mention: (id) => `@${id}`,
    logUrl: (id) => `https://deckhand.example/runs/${id}/log?tab=all&follow=1`,
  };
  const base = {
    pipeline: 'web',
    provider: 'local',
    params: {},
    requestedBy: 'alice',
    source: { platform: 'slack', channel: 'C1' },
    actions: [],
    createdAt: new Date('2025-01-01T10:00:00Z'),
    commit: { sha: 'abcdef1234567', message: 'Fix <login> & "signup"\n\nLonger body' },
  };
  const steps = [
    { index: 0, name: 'install', status: 'succeeded' as const, durationMs: 4000 },
    { index: 1, name: 'test', status: 'running' as const },
  ];
  const failures = Array.from({ length: 60 }, (_, i) => ({
    suite: `suite-${i % 4}`,
    name: `case <${i}> & friends ${'x'.repeat(40)}`,
    message: 'expected true',
  }));
  const runs: RunRecord[] = [
    { ...base, id: 1, kind: 'build', ref: 'main', status: 'queued', steps: [] },
    { ...base, id: 2, kind: 'build', ref: 'main', status: 'running', steps },
    { ...base, id: 3, kind: 'build', ref: 'main', status: 'succeeded', steps, durationMs: 83_000 },
    { ...base, id: 4, kind: 'build', ref: 'feat/x', status: 'failed', reason: 'Step test failed', steps },
    {
      ...base,
      id: 5,
      kind: 'test',
      ref: 'main',
      suite: 'integration',
      status: 'failed',
      steps,
      durationMs: 300_000,
      tests: { total: 400, failed: 60, skipped: 3, failures },
    },
    {
      ...base,
      id: 6,
      kind: 'deploy',
      ref: 'main',
      environment: 'staging',
      version: 'v1.2.0',
      status: 'running',
      steps,
    },
    {
      ...base,
      id: 7,
      kind: 'deploy',
      ref: 'main',
      environment: 'prod',
      version: 'v1.2.0',
      status: 'succeeded',
      steps,
    },
    {
      ...base,
      id: 8,
      kind: 'rollback',
      ref: 'v1.1.0',
      environment: 'prod',
      version: 'v1.1.0',
      status: 'cancelled',
      steps,
      actions: [{ verb: 'cancel', by: 'bob <!channel>', at: new Date('2025-01-01T10:01:00Z') }],
    },
  ];
  const failedStep = {
    index: 1,
    name: 'test',
    status: 'failed' as const,
    exitCode: 1,
    durationMs: 12_000,
    logTail: Array.from({ length: 3000 }, (_, i) => `not ok ${i} - <!here> ${'y'.repeat(30)}`).join('\n'),
  };

  const messages: [string, Message][] = [];
  for (const run of runs) {
    messages.push([`run #${run.id} ${run.kind} ${run.status}`, runMessage(run, ctx)]);
    messages.push([`reply #${run.id}`, replyMessage(run, ctx)]);
  }
  messages.push(['failed step with a long log', stepMessage(runs[3] as RunRecord, failedStep)]);
  messages.push([
    'succeeded step',
    stepMessage(runs[2] as RunRecord, { ...failedStep, status: 'succeeded' }),
  ]);
  const commands = ciFamily.commands as unknown as readonly Command<never>[];
  messages.push(['help', helpMessage(commands, 'ci')]);
  messages.push(['help deploy', helpMessage(commands, 'ci', 'deploy')]);
  messages.push([
    'approval',
    {
      header: 'Approval needed: deploy v1.2.0 to prod',
      status: 'warning',
      text: `@bob asked to deploy. Changes:\n${Array.from({ length: 400 }, (_, i) => `• change ${i} <#C1> & more`).join('\n')}`,
      fields: [
        { label: 'Environment', value: 'prod' },
        { label: 'Version', value: 'v1.2.0' },
      ],
      context: ['Expires in 30m'],
      buttons: [
        { id: 'approve:9', label: 'Approve', style: 'primary' },
        { id: 'reject:9', label: 'Reject', style: 'danger' },
      ],
    },
  ]);

  for (const [name, message] of messages) {
    test(`${name} stays within Block Kit limits`, () => {
      const r = renderSlack(message, { fallbackUrl: 'https://deckhand.example/m' });
      assertWithinLimits(r, name);
      assert.ok(r.text.length > 0);
      assert.doesNotMatch(JSON.stringify(r), /<!(here|channel|everyone)>/);
    });
  }

  test('the 60-failure test run shows its first failures and the count, escaped', () => {
    const r = renderSlack(runMessage(runs[4] as RunRecord, ctx));
    const body = sectionText(r);
    assert.match(body, /Failed tests \(60 of 400\):/);
    assert.match(body, /case &lt;0&gt; &amp; friends/);
    assert.match(body, /…and 50 more/);
    assert.equal(r.attachments?.[0]?.color, '#e01e5a');
  });

  test('a running run offers Cancel with a confirm; a failed one offers Run again', () => {
    const running = ofType(renderSlack(runMessage(runs[1] as RunRecord, ctx)), 'actions')[0]?.elements?.[0];
    assert.equal(running?.action_id, 'cancel:2');
    assert.ok(running?.confirm);
    const failed = ofType(renderSlack(runMessage(runs[3] as RunRecord, ctx)), 'actions')[0]?.elements?.[0];
    assert.equal(failed?.action_id, 'rerun:4');
    assert.equal(failed?.confirm, undefined);
  });

  test('the long step log is truncated with the run log link', () => {
    const message = {
      ...stepMessage(runs[3] as RunRecord, failedStep),
      link: { label: 'Log', url: ctx.logUrl?.(4) ?? '' },
    };
    const body = sectionText(renderSlack(message));
    assert.ok(
      body.endsWith(
        '```\n… (truncated; full log: <https://deckhand.example/runs/4/log?tab=all&amp;follow=1|link>)',
      ),
    );
  });
});
