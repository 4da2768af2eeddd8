import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { backoffMs, Outbox } from '../../src/core/outbox.ts';
import { DeliveryError } from '../../src/core/ports.ts';
import { createStores } from '../../src/store/index.ts';
import { openSqlite } from '../../src/store/sqlite/open.ts';
import { eventually, quietLogger, RecordingSender } from '../helpers/recording-sender.ts';

async function setup(file = ':memory:') {
  const db = await openSqlite(file);
  const stores = createStores(db);
  const sender = new RecordingSender();
  const outbox = new Outbox({
    store: stores.outbox,
    senders: new Map([['test', sender]]),
    logger: quietLogger,
  });
  return { db, stores, sender, outbox };
}

const post = (channel: string, text: string, key?: string, threadKey?: string) =>
  ({ platform: 'test', channel, op: 'post', message: { text }, key, threadKey }) as const;

describe('outbox', () => {
  it('delivers in order per channel, honouring Retry-After without skipping ahead', async () => {
    const { db, sender, outbox } = await setup();
    let failed = false;
    sender.failWith = ({ message }) => {
      if (message.text === 'a1' && !failed) {
        failed = true;
        return new DeliveryError('ratelimited', 300);
      }
      return undefined;
    };
    outbox.start();
    await outbox.enqueue([post('a', 'a1'), post('a', 'a2'), post('b', 'b1')]);
    await eventually(() => sender.sent.length === 3, 'three deliveries');
    const a = sender.sent.filter((s) => s.channel === 'a').map((s) => s.message.text);
    assert.deepEqual(a, ['a1', 'a2']);
    assert.equal(sender.sent[0]?.message.text, 'b1', 'channel b is not held up by channel a');
    await outbox.stop();
    await db.destroy();
  });

  it('folds updates into a pending post and threads replies under their parent', async () => {
    const { db, sender, outbox, stores } = await setup();
    await outbox.enqueue([post('c', 'v1', 'run:1')]);
    await outbox.enqueue([
      { platform: 'test', channel: 'c', op: 'update', key: 'run:1', message: { text: 'v2' } },
    ]);
    await outbox.enqueue([post('c', 'step 1', undefined, 'run:1')]);
    await outbox.enqueue([
      { platform: 'test', channel: 'c', op: 'update', key: 'run:1', message: { text: 'v3' } },
    ]);
    assert.equal((await stores.outbox.counts()).pending, 2, 'two updates coalesced into the post');
    outbox.start();
    await outbox.settle();
    assert.deepEqual(
      sender.sent.map((s) => [s.op, s.message.text, s.threadId]),
      [
        ['post', 'v3', undefined],
        ['post', 'step 1', 'm1'],
      ],
    );
    await outbox.enqueue([
      { platform: 'test', channel: 'c', op: 'update', key: 'run:1', message: { text: 'v4' } },
    ]);
    await outbox.settle();
    assert.deepEqual(sender.sent.at(-1), {
      op: 'update',
      channel: 'c',
      messageId: 'm1',
      message: { text: 'v4' },
    });
    await outbox.stop();
    await db.destroy();
  });

  it('an update of a message never posted posts it (upsert)', async () => {
    const { db, sender, outbox } = await setup();
    outbox.start();
    await outbox.enqueue([
      { platform: 'test', channel: 'd', op: 'update', key: 'run:9', message: { text: 'late' } },
    ]);
    await outbox.settle();
    await outbox.enqueue([
      { platform: 'test', channel: 'd', op: 'update', key: 'run:9', message: { text: 'later' } },
    ]);
    await outbox.settle();
    assert.deepEqual(
      sender.sent.map((s) => [s.op, s.message.text]),
      [
        ['post', 'late'],
        ['update', 'later'],
      ],
    );
    await outbox.stop();
    await db.destroy();
  });

  it('drops what the platform refuses for good, and what has no adapter, and goes on', async () => {
    const { db, sender, outbox, stores } = await setup();
    sender.failWith = ({ address }) =>
      address.channel === 'gone' ? new DeliveryError('channel_not_found', undefined, true) : undefined;
    outbox.start();
    await outbox.enqueue([post('gone', 'x'), { ...post('e', 'y'), platform: 'nowhere' }, post('e', 'z')]);
    await outbox.settle();
    assert.deepEqual(
      sender.sent.map((s) => s.message.text),
      ['z'],
    );
    assert.deepEqual(await stores.outbox.counts(), { pending: 0, failed: 2 });
    await outbox.stop();
    await db.destroy();
  });

  it('keeps messages across a restart and delivers them once the platform is back', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'deckhand-outbox-')), 'db.sqlite');
    const first = await setup(file);
    first.sender.failWith = () => new Error('socket hang up');
    first.outbox.start();
    await first.outbox.enqueue([post('f', 'one'), post('f', 'two')]);
    await eventually(
      async () =>
        (await first.db.selectFrom('outbox').select('attempts').where('attempts', '>', 0).execute()).length >
        0,
      'a failed attempt',
    );
    await first.outbox.stop();
    await first.db.destroy();

    const second = await setup(file);
    // The failed attempt scheduled a retry a second ahead; the new process honours it.
    second.outbox.start();
    await second.outbox.settle();
    assert.deepEqual(
      second.sender.sent.map((s) => s.message.text),
      ['one', 'two'],
    );
    await second.outbox.stop();
    await second.db.destroy();
  });

  it('backs off exponentially up to five minutes', () => {
    assert.deepEqual([0, 1, 2, 3].map(backoffMs), [1000, 2000, 4000, 8000]);
    assert.equal(backoffMs(50), 300_000);
  });
});
