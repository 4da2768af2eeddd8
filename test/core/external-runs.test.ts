import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { toPlainText } from '../../src/core/messages.ts';
import type { ExternalRunUpdate } from '../../src/core/pipeline-events.ts';
import { createHarness } from '../helpers/core-harness.ts';

type Harness = Awaited<ReturnType<typeof createHarness>>;

const update = (over: Partial<ExternalRunUpdate>): ExternalRunUpdate => ({
  provider: 'local',
  externalId: 'x',
  ref: 'main',
  status: 'running',
  at: new Date(),
  ...over,
});

describe('runs reported by a CI system', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  it('follows a run deckhand started, by its CI id, to a failure with the log tail and the author', async () => {
    h.provider.tail = {
      text: `${'noise\n'.repeat(100)}Error: login as admin with hunter2-secret failed`,
      url: 'https://ci.test/logs/1',
    };
    await h.say('/ci build main');
    const spec = h.provider.triggered.at(-1);
    const externalId = `ext-${spec?.runId}`;
    const commit = {
      sha: 'abcdef0123456789',
      message: 'Break the build',
      author: 'Alice',
      authorEmail: 'alice@example.com',
    };
    await h.external.handle(
      update({ externalId, pipeline: 'p', commit, steps: [{ index: 0, name: 'test', status: 'running' }] }),
    );
    await h.external.handle(
      update({
        externalId,
        pipeline: 'p',
        status: 'failed',
        reason: "Job 'test' failed at step 'Run tests'.",
        commit,
        steps: [{ index: 0, name: 'test', status: 'failed' }],
      }),
    );
    await h.outbox.settle();
    const run = await h.runs.get(spec?.runId as number);
    assert.equal(run?.status, 'failed');
    assert.equal(run?.url, `https://ci.test/runs/${spec?.runId}`);
    const card = h.sender.sent.filter((s) => s.channel === 'C-builds' && !s.threadId).at(-1);
    const text = toPlainText(card?.message ?? {});
    assert.match(text, /Build #\d+ failed/);
    assert.match(text, /Job 'test' failed at step 'Run tests'\./);
    assert.match(text, /Commit author: @Alice/);
    assert.match(text, new RegExp(`Log: https://ci.test/runs/${spec?.runId}`));
    const tail = h.sender.sent.find((s) => s.message.header === 'Last lines of `test`');
    assert.ok(tail, 'the failed log tail is posted in the thread');
    assert.ok(tail.threadId);
    assert.match(tail.message.text ?? '', /login as admin with \[redacted\] failed/);
    assert.ok((tail.message.text ?? '').split('\n').length <= 27, 'bounded to the last lines');
    assert.equal(tail.message.link?.url, 'https://ci.test/logs/1');
  });

  it('matches a run whose CI id the trigger did not return, by pipeline and ref', async () => {
    h.provider.anonymous = true;
    await h.say('/ci build develop');
    h.provider.anonymous = false;
    const runId = h.provider.triggered.at(-1)?.runId as number;
    assert.equal((await h.runs.get(runId))?.externalId, undefined);
    await h.external.handle(
      update({ externalId: 'gh-555', pipeline: 'p', ref: 'develop', status: 'succeeded' }),
    );
    const run = await h.runs.get(runId);
    assert.equal(run?.externalId, 'gh-555');
    assert.equal(run?.status, 'succeeded');
  });

  it('records a run started on the CI side (e.g. by a push) and notifies its channels, nobody else', async () => {
    const before = (await h.runs.recent(1))[0]?.id ?? 0;
    await h.outbox.settle();
    const replies = h.sender.sent.filter((s) => s.channel === 'C-general').length;
    await h.external.handle(
      update({
        externalId: 'push-1',
        pipeline: 'p',
        ref: 'main',
        status: 'succeeded',
        actor: { email: 'alice@example.com', login: 'alice-gh' },
      }),
    );
    await h.outbox.settle();
    const [run] = await h.runs.recent(1);
    assert.ok((run?.id ?? 0) > before);
    assert.equal(run?.kind, 'build');
    assert.equal(run?.requestedBy, 'alice', 'the actor mapped by email');
    assert.ok(
      h.sender.sent.some(
        (s) => s.channel === 'C-builds' && s.message.header === `Build #${run?.id} succeeded`,
      ),
    );
    assert.equal(
      h.sender.sent.filter((s) => s.channel === 'C-general').length,
      replies,
      'no reply: nobody asked',
    );
    await h.external.handle(update({ externalId: 'push-1', pipeline: 'p', status: 'failed' }));
    assert.equal((await h.runs.get(run?.id as number))?.status, 'succeeded', 'a finished run stays finished');
  });

  it('keeps each job in its place when a CI system lists them in another order', async () => {
    await h.say('/ci build main');
    const runId = h.provider.triggered.at(-1)?.runId as number;
    const externalId = `ext-${runId}`;
    const steps = (a: string, b: string) =>
      [
        { index: 0, name: 'lint', status: a },
        { index: 1, name: 'unit', status: b },
      ] as ExternalRunUpdate['steps'];
    await h.external.handle(update({ externalId, pipeline: 'p', steps: steps('running', 'running') }));
    const swapped = steps('running', 'succeeded')
      ?.reverse()
      .map((s, index) => ({ ...s, index }));
    await h.external.handle(update({ externalId, pipeline: 'p', steps: swapped }));
    const run = await h.runs.get(runId);
    assert.deepEqual(
      run?.steps.map((s) => [s.index, s.name, s.status]),
      [
        [0, 'lint', 'running'],
        [1, 'unit', 'succeeded'],
      ],
    );
  });

  it('records a new CI run once when two deliveries about it arrive together', async () => {
    const before = (await h.runs.recent(1))[0]?.id ?? 0;
    const ids = await Promise.all([
      h.external.handle(update({ externalId: 'twin-1', pipeline: 'p', status: 'running' })),
      h.external.handle(update({ externalId: 'twin-1', pipeline: 'p', status: 'succeeded' })),
    ]);
    assert.equal(ids[0], ids[1]);
    const recent = await h.runs.recent(5);
    assert.equal(recent.filter((r) => r.id > before).length, 1);
    assert.equal((await h.runs.get(ids[0] as number))?.status, 'succeeded');
  });

  it('ignores runs of pipelines deckhand does not know', async () => {
    assert.equal(await h.external.handle(update({ externalId: 'other-1', status: 'succeeded' })), undefined);
  });
});
