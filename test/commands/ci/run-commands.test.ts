/** `/ci cancel` (a run, or a held request as before) and `/ci retry` (failed jobs, where the CI system can). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { toPlainText } from '../../../src/core/messages.ts';
import { deployed, type Harness, latest, opsHarness } from './ops-harness.ts';

describe('/ci cancel and /ci retry', () => {
  let h: Harness;
  const reruns: { runId: number; externalId: string }[] = [];
  before(async () => {
    h = await opsHarness();
  });
  after(() => h.close());

  /** Starts a build and leaves it running; returns its run id. */
  const running = async () => {
    await h.say('/ci build main');
    return h.provider.triggered.at(-1)?.runId as number;
  };

  const cancels: { name: string; target: (id: number) => string }[] = [
    { name: 'by number', target: (id) => String(id) },
    { name: 'by #number', target: (id) => `#${id}` },
  ];
  for (const c of cancels) {
    it(`cancels a running run ${c.name}, on its CI system, and records who`, async () => {
      const id = await running();
      const m = await h.say(`/ci cancel ${c.target(id)}`);
      assert.equal(m.text, `Run #${id} cancelled by @Alice.`);
      assert.equal(h.provider.cancelled.at(-1), id);
      const run = await h.runs.get(id);
      assert.equal(run?.actions.at(-1)?.verb, 'cancel');
      assert.equal(run?.actions.at(-1)?.by, 'alice');
    });
  }

  const refusals: { name: string; text: (id: number) => string; user?: string; says: RegExp }[] = [
    { name: 'a run that does not exist', text: () => '/ci cancel #999', says: /^There is no run #999\./ },
    {
      name: 'a finished run',
      text: (id) => `/ci cancel ${id}`,
      says: /^Run #\d+ is not running any more\.$/,
    },
    {
      name: 'a run of a kind the person may not run',
      text: (id) => `/ci cancel #${id}`,
      user: 'U3',
      says: /^To cancel run #\d+, you need to be allowed its build\. You may not run `\/ci build`/,
    },
    {
      name: 'a request code that does not exist',
      text: () => '/ci cancel K7Q2XM',
      says: /^There is no request `K7Q2XM`/,
    },
  ];
  for (const r of refusals) {
    it(`cancel refuses ${r.name}`, async () => {
      const id = await running();
      if (r.name === 'a finished run') await h.finish(id);
      const count = h.provider.cancelled.length;
      const m = await h.say(r.text(id), r.user);
      assert.equal(m.status, 'error');
      assert.match(m.text ?? '', r.says);
      assert.equal(h.provider.cancelled.length, count);
    });
  }

  it('still withdraws a held request by its code', async () => {
    const prompt = await h.say('/ci deploy dev v1.0.0');
    assert.equal(prompt.header, 'Confirm: deploy v1.0.0 to dev');
    const code = /`\/ci cancel ([A-Z2-9]{6})`/.exec(toPlainText(prompt))?.[1];
    assert.ok(code, 'the prompt names its code');
    const count = h.provider.triggered.length;
    const before = h.sender.sent.length;
    await h.say(`/ci cancel ${code}`);
    const card = h.sender.sent
      .slice(before)
      .find((s) => s.message.header === 'Cancelled: deploy v1.0.0 to dev');
    assert.equal(card?.message.text, 'Nothing was run.');
    assert.equal(h.provider.triggered.length, count);
  });

  it('retry says when the CI system cannot rerun failed jobs', async () => {
    const id = await running();
    await h.finish(id, 'failed');
    const m = await h.say(`/ci retry #${id}`);
    assert.equal(m.status, 'error');
    assert.match(
      m.text ?? '',
      new RegExp(`^local cannot rerun the failed jobs of run #${id} in place; the Run again button`),
    );
  });

  it('retry reruns the failed jobs in place where the CI system can, and records who', async () => {
    Object.assign(h.provider, {
      rerun: async (runId: number, externalId: string) => {
        reruns.push({ runId, externalId });
        return true;
      },
    });
    const id = await running();
    await h.finish(id, 'failed');
    const refused = await h.say(`/ci retry ${id}`, 'U3');
    assert.match(refused.text ?? '', /^To retry run #\d+, you need to be allowed its build\./);
    assert.equal(reruns.length, 0);
    const m = await h.say(`/ci retry ${id}`);
    assert.equal(m.text, `Rerunning the failed jobs of run #${id} on local, asked by @Alice.`);
    assert.deepEqual(reruns.at(-1), { runId: id, externalId: `ext-${id}` });
    const run = await h.runs.get(id);
    assert.equal(run?.actions.at(-1)?.verb, 'rerun');
    assert.equal(run?.actions.at(-1)?.note, 'failed jobs, in place');
  });

  const notFailed: { name: string; end?: 'succeeded'; says: RegExp }[] = [
    {
      name: 'a run still going',
      says: /^Run #\d+ is still going: only a failed run's jobs can be retried\.$/,
    },
    {
      name: 'a run that succeeded',
      end: 'succeeded',
      says: /^Run #\d+ succeeded: only a failed run's jobs can be retried\.$/,
    },
  ];
  for (const n of notFailed) {
    it(`retry refuses ${n.name}`, async () => {
      const id = await running();
      if (n.end) await h.finish(id, n.end);
      const count = reruns.length;
      const m = await h.say(`/ci retry ${id}`);
      assert.match(m.text ?? '', n.says);
      assert.equal(reruns.length, count);
    });
  }

  it('retry of a deploy passes the gates a deploy passes (approvals hold it)', async () => {
    await deployed(h, 'staging', 'v1.0.0');
    await h.say('/ci promote staging preprod');
    const card = latest(h, /Approval needed: promote staging to preprod/, 'C-approvals');
    const approve = card.message.buttons?.find((b) => b.label === 'Approve')?.id as string;
    await h.click(card.messageId, approve, 'U2');
    const id = h.provider.triggered.at(-1)?.runId as number;
    await h.finish(id, 'failed');
    const count = reruns.length;
    const m = await h.say(`/ci retry ${id}`);
    assert.match(m.header ?? '', /^Waiting for approval: deploy `?v1\.0\.0`? to `?preprod`?/);
    assert.equal(reruns.length, count, 'nothing reruns before the approval');
  });
});
