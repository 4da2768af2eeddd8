import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from '../../src/core/messages.ts';
import { foldReplies, Outbox } from '../../src/core/outbox.ts';
import { DeliveryError } from '../../src/core/ports.ts';
import { createStores } from '../../src/store/index.ts';
import { openSqlite } from '../../src/store/sqlite/open.ts';
import { eventually, quietLogger, RecordingSender } from '../helpers/recording-sender.ts';

/** A recording sender that declares a coalescing interval and notes when each call came. */
class PacedRecordingSender extends RecordingSender {
  readonly at: number[] = [];
  constructor(readonly coalesceMs?: number) {
    super('test');
    const post = this.post.bind(this);
    const update = this.update.bind(this);
    this.post = async (address, message) => {
      this.at.push(Date.now());
      return post(address, message);
    };
    this.update = async (address, messageId, message) => {
      this.at.push(Date.now());
      return update(address, messageId, message);
    };
  }
}

async function setup(sender: RecordingSender) {
  const db = await openSqlite(':memory:');
  const stores = createStores(db);
  const outbox = new Outbox({
    store: stores.outbox,
    senders: new Map([['test', sender]]),
    logger: quietLogger,
  });
  return { db, stores, outbox };
}

const step = (n: number, status: Message['status'] = 'succeeded'): Message => ({
  status,
  header: `Step ${n}: job-${n} ${status}`,
  context: ['Run #1'],
});

describe('foldReplies', () => {
  it('puts waiting replies into one message, in order, with the gravest status', () => {
    const two = foldReplies(step(1), step(2, 'failed'));
    assert.deepEqual(two, {
      status: 'failed',
      text: '✅ Step 1: job-1 succeeded\n❌ Step 2: job-2 failed',
      context: ['Run #1'],
    });
    const three = foldReplies(two as Message, { ...step(3), text: 'log tail' });
    assert.equal(
      three?.text,
      '✅ Step 1: job-1 succeeded\n❌ Step 2: job-2 failed\n✅ Step 3: job-3 succeeded\nlog tail',
    );
    assert.equal(three?.status, 'failed');
  });

  it('leaves alone replies with buttons or fields, and stops at the size limit', () => {
    assert.equal(
      foldReplies(step(1), { ...step(2), buttons: [{ id: 'rerun:1', label: 'Run again' }] }),
      undefined,
    );
    assert.equal(foldReplies({ ...step(1), fields: [{ label: 'a', value: 'b' }] }, step(2)), undefined);
    assert.equal(foldReplies({ text: 'x'.repeat(100) }, { text: 'y'.repeat(100) }, 150), undefined);
  });
});

describe('outbox coalescing and pacing', () => {
  it('batches thread replies that wait together into one call, each reply once and in order', async () => {
    const sender = new RecordingSender();
    const { db, outbox } = await setup(sender);
    await outbox.enqueue([
      { platform: 'test', channel: 'c', op: 'post', key: 'run:1', message: { text: 'card' } },
    ]);
    for (let n = 1; n <= 30; n++)
      await outbox.enqueue([
        { platform: 'test', channel: 'c', op: 'post', threadKey: 'run:1', message: step(n) },
      ]);
    outbox.start();
    await outbox.settle();
    assert.equal(sender.sent.length, 2, 'the card and one reply');
    const reply = sender.sent[1];
    assert.equal(reply?.threadId, sender.sent[0]?.messageId);
    const steps = [...(reply?.message.text ?? '').matchAll(/Step (\d+):/g)].map((m) => Number(m[1]));
    assert.deepEqual(
      steps,
      Array.from({ length: 30 }, (_, i) => i + 1),
    );
    await outbox.stop();
    await db.destroy();
  });

  it('holds updates for a paced sender so a burst of progress is one call, ending on the last state', async () => {
    const sender = new PacedRecordingSender(300);
    const { db, outbox } = await setup(sender);
    outbox.start();
    await outbox.enqueue([
      { platform: 'test', channel: 'c', op: 'post', key: 'run:1', message: { text: 'v0' } },
    ]);
    await eventually(() => sender.sent.length === 1, 'the card');
    for (let v = 1; v <= 20; v++) {
      await outbox.enqueue([
        { platform: 'test', channel: 'c', op: 'update', key: 'run:1', message: { text: `v${v}` } },
      ]);
      await new Promise((r) => setTimeout(r, 10));
    }
    await outbox.settle();
    assert.ok(sender.sent.length <= 3, `${sender.sent.length} calls for 20 updates`);
    assert.equal(sender.sent.at(-1)?.message.text, 'v20');
    const [first, second] = sender.at;
    assert.ok((second ?? 0) - (first ?? 0) >= 295, 'the update waited for the interval');
    await outbox.stop();
    await db.destroy();
  });

  it('does not hold new posts for a paced sender', async () => {
    const sender = new PacedRecordingSender(5000);
    const { db, outbox } = await setup(sender);
    outbox.start();
    const started = Date.now();
    await outbox.enqueue(
      [1, 2, 3].map((n) => ({
        platform: 'test',
        channel: 'c',
        op: 'post' as const,
        message: { text: `p${n}` },
      })),
    );
    await outbox.settle();
    assert.equal(sender.sent.length, 3);
    assert.ok(Date.now() - started < 2000, 'posts went at once');
    await outbox.stop();
    await db.destroy();
  });

  it("keeps the spacing a Retry-After asked for on the channel's next messages", async () => {
    const sender = new PacedRecordingSender();
    let refused = 0;
    sender.failWith = ({ message }) => {
      if (message.text === 'p2' && refused === 0) {
        refused++;
        return new DeliveryError('ratelimited', 200);
      }
      return undefined;
    };
    const { db, outbox } = await setup(sender);
    outbox.start();
    await outbox.enqueue(
      [1, 2, 3, 4].map((n) => ({
        platform: 'test',
        channel: 'c',
        op: 'post' as const,
        message: { text: `p${n}` },
      })),
    );
    await outbox.settle();
    assert.deepEqual(
      sender.sent.map((s) => s.message.text),
      ['p1', 'p2', 'p3', 'p4'],
    );
    assert.equal(refused, 1, 'one refusal, none after it');
    // Calls: p1, p2 (refused), p2, p3, p4 — the last three spaced by the Retry-After.
    const gaps = sender.at.slice(2).map((t, i) => t - (sender.at[i + 1] ?? 0));
    for (const gap of gaps) assert.ok(gap >= 195, `calls ${gaps.join(', ')} ms apart`);
    await outbox.stop();
    await db.destroy();
  });

  it('reads only the oldest pending item of each channel', async () => {
    const db = await openSqlite(':memory:');
    const { outbox } = createStores(db);
    const items = ['a', 'b', 'a', 'c', 'b'].map((channel, i) => ({
      platform: 'test',
      channel,
      op: 'post' as const,
      message: { text: `${channel}${i}` },
    }));
    await outbox.enqueue(items, new Date());
    const heads = await outbox.pending(1000, new Date());
    assert.deepEqual(
      heads.map((h) => h.message.text),
      ['a0', 'b1', 'c3'],
    );
    assert.deepEqual(await outbox.counts(), { pending: 5, failed: 0 });
    await db.destroy();
  });

  it('folds into messages queued before a restart, and never into one another process delivered', async () => {
    const db = await openSqlite(':memory:');
    const first = createStores(db).outbox;
    const card = (text: string, op: 'post' | 'update' = 'update') => ({
      platform: 'test',
      channel: 'c',
      op,
      key: 'run:1',
      message: { text },
    });
    await first.enqueue([card('v1', 'post')], new Date());
    // A second store on the same database (a restarted process) learns what is waiting from it.
    const second = createStores(db).outbox;
    await second.enqueue([card('v2')], new Date());
    assert.deepEqual(await second.counts(), { pending: 1, failed: 0 });
    const [head] = await second.pending(10, new Date());
    assert.equal(head?.message.text, 'v2');
    // The second delivers it; the first still believes it waits and must not write into it.
    await second.delivered(head?.id as number, new Date(), { key: 'run:1', messageId: 'm1' });
    await first.enqueue([card('v3')], new Date());
    const rows = await db.selectFrom('outbox').select(['status', 'payload']).orderBy('id').execute();
    assert.deepEqual(
      rows.map((r) => [r.status, JSON.parse(r.payload).text]),
      [
        ['delivered', 'v2'],
        ['pending', 'v3'],
      ],
    );
    await db.destroy();
  });

  it('batches replies enqueued together and across calls, never into one being sent', async () => {
    const db = await openSqlite(':memory:');
    const { outbox } = createStores(db);
    const reply = (n: number) => ({
      platform: 'test',
      channel: 'c',
      op: 'post' as const,
      threadKey: 'run:1',
      message: step(n),
    });
    await outbox.enqueue([reply(1), reply(2)], new Date());
    await outbox.enqueue([reply(3)], new Date());
    const [batched] = await outbox.pending(10, new Date());
    assert.equal(batched?.message.text?.split('\n').length, 3);
    await outbox.claim(
      [batched?.id as number],
      { owner: 'me', until: new Date(Date.now() + 60_000) },
      new Date(),
    );
    await outbox.enqueue([reply(4)], new Date());
    assert.deepEqual(await outbox.counts(), { pending: 2, failed: 0 }, 'the one in flight is left alone');
    await db.destroy();
  });
});
