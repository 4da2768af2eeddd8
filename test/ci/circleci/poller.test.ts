import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../../helpers/recording-sender.ts';
import { spec, startAdapter } from './fixtures.ts';

type Started = Awaited<ReturnType<typeof startAdapter>>;

describe('polling the pipelines deckhand triggered', () => {
  let s: Started;
  before(async () => {
    s = await startAdapter({ pollIntervalMs: 20 });
    await s.adapter.start?.();
  });
  after(() => s.close());

  const of = (id: string) => s.updates.filter((u) => u.externalId === id);
  const polls = (id: string) => s.fake.calls.filter((c) => c.rawPath === `/api/v2/pipeline/${id}`).length;

  it('reports jobs starting, an approval on hold, then the failure with its step and author', async () => {
    s.fake.commit = { subject: 'Ship the cart', author: { name: 'Bob', email: 'bob@example.com' } };
    const { externalId } = await s.provider.trigger(spec({ kind: 'deploy', ref: 'v2.0.0' }));
    const id = externalId as string;
    await eventually(() => of(id).length > 0, 'a first update');
    const first = of(id)[0];
    assert.equal(first?.status, 'running');
    assert.equal(first?.ref, 'v2.0.0');
    assert.deepEqual(
      first?.steps?.map((st) => st.name),
      ['build', 'test', 'hold', 'release'],
    );
    assert.equal(first?.commit?.message, 'Ship the cart');

    s.fake.setJob(id, 'build', 'running');
    await eventually(() => of(id).some((u) => u.steps?.[0]?.status === 'running'), 'build running');
    s.fake.setJob(id, 'build', 'success');
    s.fake.setJob(id, 'test', 'failed', { failedStep: 'Run integration tests' });
    await eventually(() => of(id).some((u) => u.status === 'failed'), 'the failure');
    const last = of(id).at(-1);
    assert.equal(last?.reason, "Job 'test' failed at step 'Run integration tests'.");
    assert.equal(last?.commit?.authorEmail, 'bob@example.com', 'the author from API v1.1');
    assert.ok((last?.durationMs ?? -1) >= 0);

    const count = of(id).length;
    const seen = polls(id);
    const other = (await s.provider.trigger(spec({ runId: 2 }))).externalId as string;
    await eventually(() => polls(other) >= 3, 'three rounds over another pipeline');
    assert.equal(polls(id), seen, 'a finished pipeline is no longer polled');
    assert.equal(of(id).length, count);
  });

  it('stays quiet while nothing changes', async () => {
    const { externalId } = await s.provider.trigger(spec({ runId: 3 }));
    const id = externalId as string;
    await eventually(() => of(id).length === 1, 'the first update');
    const seen = polls(id);
    await eventually(() => polls(id) >= seen + 3, 'three more rounds');
    assert.equal(of(id).length, 1);
  });

  it('reports a pipeline CircleCI refused to start (no workflow, so no webhook ever)', async () => {
    const { externalId } = await s.provider.trigger(spec({ runId: 4 }));
    const pipeline = s.fake.pipeline(externalId as string);
    pipeline.state = 'errored';
    pipeline.workflows = [];
    pipeline.errors = [{ type: 'config', message: "Unknown job 'deploy' in workflow 'build-test'" }];
    await eventually(() => of(pipeline.id).some((u) => u.status === 'failed'), 'the failure');
    assert.equal(
      of(pipeline.id).at(-1)?.reason,
      "CircleCI could not start the pipeline: Unknown job 'deploy' in workflow 'build-test'.",
    );
  });
});
