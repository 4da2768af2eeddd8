/**
 * A message that may be on the platform already (its holder died between the platform's answer
 * and the record of it, or its post failed without a refusal) is looked up by its key before it is
 * posted again, and stays in doubt until it is delivered; an ordinary post is never looked up.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Message } from '../../src/core/messages.ts';
import { Outbox } from '../../src/core/outbox.ts';
import { type ChatAddress, DeliveryError } from '../../src/core/ports.ts';
import { createStores } from '../../src/store/index.ts';
import { openSqlite } from '../../src/store/sqlite/open.ts';
import { eventually, quietLogger, RecordingSender } from '../helpers/recording-sender.ts';

/** A sender that keeps each post's key, as Slack keeps it in message metadata, and finds by it. */
class KeepingSender extends RecordingSender {
  readonly keys = new Map<string, string>();
  readonly lookups: { key: string; since?: Date }[] = [];
  findFails: (() => Error | undefined) | undefined;
  override async post(address: ChatAddress, message: Message, options: { key?: string } = {}) {
    const posted = await super.post(address, message);
    if (options.key) this.keys.set(options.key, posted.messageId);
    return posted;
  }
  async find(_address: ChatAddress, key: string, since?: Date) {
    this.lookups.push({ key, since });
    const error = this.findFails?.();
    if (error) throw error;
    return this.keys.get(key);
  }
}

async function setup() {
  const db = await openSqlite(':memory:');
  const stores = createStores(db);
  const sender = new KeepingSender();
  const warnings: string[] = [];
  const logger = { ...quietLogger, warn: (_o: object, m?: string) => void warnings.push(m ?? '') };
  const make = (afterSend?: ConstructorParameters<typeof Outbox>[0]['afterSend']) =>
    new Outbox({ store: stores.outbox, senders: new Map([['test', sender]]), logger, afterSend });
  return { db, stores, sender, warnings, make };
}

const post = (text: string) => ({ platform: 'test', channel: 'c', op: 'post', message: { text } }) as const;

/** Claims the queue's head as a process that then dies without a word (its lease left behind). */
async function claimAndDie(stores: Awaited<ReturnType<typeof setup>>['stores']) {
  const [head] = await stores.outbox.pending(10, new Date());
  assert.ok(head);
  await stores.outbox.claim([head.id], { owner: 'dead', until: new Date(Date.now() - 1) }, new Date());
  return head.id;
}

describe('outbox: a message in doubt', () => {
  it('posted by a holder that died before recording it: found by its key, not posted again', async () => {
    const { db, stores, sender, make } = await setup();
    await stores.outbox.enqueue([post('once')], new Date());
    const id = await claimAndDie(stores);
    // What the dead holder got to: the platform has the post under the item's key.
    await sender.post({ channel: 'c' }, { text: 'once' }, { key: `outbox:${id}` });
    const outbox = make();
    outbox.start();
    await outbox.settle();
    assert.deepEqual(
      sender.sent.map((s) => s.message.text),
      ['once'],
    );
    assert.equal(sender.lookups.length, 1);
    assert.ok(sender.lookups[0]?.since instanceof Date, 'looked up from when it was first claimed');
    assert.deepEqual(await stores.outbox.counts(), { pending: 0, failed: 0 });
    await outbox.stop();
    await db.destroy();
  });

  it('stays in doubt when the lookup fails for a while: looked up again, never posted blind', async () => {
    const { db, stores, sender, make } = await setup();
    await stores.outbox.enqueue([post('once')], new Date());
    const id = await claimAndDie(stores);
    await sender.post({ channel: 'c' }, { text: 'once' }, { key: `outbox:${id}` });
    let failures = 1;
    sender.findFails = () =>
      failures-- > 0 ? new DeliveryError('Slack says internal_error', 20) : undefined;
    const outbox = make();
    outbox.start();
    await eventually(() => sender.lookups.length === 2, 'a second lookup after the failed one');
    await outbox.settle();
    assert.deepEqual(
      sender.sent.map((s) => s.message.text),
      ['once'],
    );
    await outbox.stop();
    await db.destroy();
  });

  it('a post that failed without a refusal is looked up before it is tried again; a rate limit is not', async () => {
    const { db, sender, make } = await setup();
    let calls = 0;
    sender.failWith = ({ message }) => {
      calls++;
      if (message.text === 'timed out' && calls === 1) {
        // The request went out and Slack took it; the answer never came back.
        sender.sent.push({ op: 'post', channel: 'c', messageId: 'm-lost', message });
        sender.keys.set('outbox:1', 'm-lost');
        return new DeliveryError('Could not reach Slack (timed out)');
      }
      if (message.text === 'limited' && calls === 3) return new DeliveryError('Slack rate limit', 10);
      return undefined;
    };
    const outbox = make();
    outbox.start();
    await outbox.enqueue([post('timed out')]);
    await outbox.settle();
    assert.deepEqual(
      sender.lookups.map((l) => l.key),
      ['outbox:1'],
    );
    await outbox.enqueue([post('limited')]);
    await outbox.settle();
    assert.deepEqual(
      sender.sent.map((s) => s.message.text),
      ['timed out', 'limited'],
    );
    assert.equal(sender.lookups.length, 1, 'a refused (429) post is not looked up, nor an ordinary one');
    await outbox.stop();
    await db.destroy();
  });

  it('a lookup the platform refuses for good posts it again and says so', async () => {
    const { db, stores, sender, warnings, make } = await setup();
    await stores.outbox.enqueue([post('again')], new Date());
    await claimAndDie(stores);
    sender.findFails = () => new DeliveryError('Slack says missing_scope', undefined, true);
    const outbox = make();
    outbox.start();
    await outbox.settle();
    assert.deepEqual(
      sender.sent.map((s) => s.message.text),
      ['again'],
    );
    assert.ok(warnings.some((w) => /may show twice/.test(w)));
    await outbox.stop();
    await db.destroy();
  });

  it('calls the test-only hook after the platform took the post and before it is recorded', async () => {
    const { db, sender, make } = await setup();
    const seen: { posted: boolean; onPlatform: number }[] = [];
    const outbox = make((_item, posted) => {
      seen.push({ posted, onPlatform: sender.sent.length });
      // Dying here is what the crash tests do; throwing leaves the same trace: posted, not recorded.
      if (seen.length === 1) throw new Error('fault injected');
    });
    outbox.start();
    await outbox.enqueue([post('hooked')]);
    await outbox.settle();
    assert.deepEqual(seen, [
      { posted: true, onPlatform: 1 },
      { posted: false, onPlatform: 1 },
    ]);
    assert.equal(sender.lookups.length, 1, 'the unrecorded post was looked up, and found');
    const rows = await db.selectFrom('outbox').select(['status', 'in_doubt']).execute();
    assert.deepEqual(rows, [{ status: 'delivered', in_doubt: 1 }]);
    await outbox.stop();
    await db.destroy();
  });
});
