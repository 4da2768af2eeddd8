import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseConfig } from '../helpers/config.ts';
import { createHarness, harnessConfig } from '../helpers/core-harness.ts';
import { eventually } from '../helpers/recording-sender.ts';

type Harness = Awaited<ReturnType<typeof createHarness>>;

describe('acks within a platform deadline', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  it('returns the reply itself for the adapter to ack with, when it is ready in time', async () => {
    const sent = h.sender.sent.length;
    const receipt = await h.deckhand.intake.command(
      { platform: 'test', userId: 'U1', channel: 'C-general', text: '/ci help' },
      { answerWithinMs: 2000 },
    );
    const reply = receipt.duplicate ? undefined : receipt.reply;
    assert.ok(reply);
    assert.equal(reply.queued, false);
    assert.equal(reply.message.header, '/ci commands');
    await h.outbox.settle();
    assert.equal(h.sender.sent.length, sent, 'the adapter delivers it, not the outbox');
  });

  it('says what happens next when the CI system is slow, then reports back in the channel', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const list = h.provider.listBranches.bind(h.provider);
    h.provider.listBranches = async () => {
      await gate;
      return list();
    };
    const startedAt = Date.now();
    const receipt = await h.deckhand.intake.command(
      { platform: 'test', userId: 'U1', channel: 'C-general', text: '/ci build develop' },
      { answerWithinMs: 100 },
    );
    const reply = receipt.duplicate ? undefined : receipt.reply;
    assert.ok(Date.now() - startedAt < 2000, 'the ack did not wait for the CI system');
    assert.ok(reply);
    assert.equal(reply.queued, false);
    assert.equal(reply.message.text, 'Building `develop`, triggered by @Alice…');
    assert.equal(h.provider.triggered.length, 0);
    release();
    await eventually(() => h.provider.triggered.length === 1, 'the build to be triggered');
    await eventually(
      () =>
        h.sender.sent.some(
          (s) =>
            s.channel === 'C-general' && /Build of `develop` triggered by @Alice/.test(s.message.text ?? ''),
        ),
      'the reply in the channel',
    );
    const [entry] = await h.stores.audit.recent(1);
    assert.equal(entry?.text, '/ci build develop');
    assert.equal(entry?.decision, 'allowed');
  });

  it('answers a read-only command in one commit: its audit entry, with the trigger claimed, is its record', async () => {
    const before = (await h.stores.audit.recent(1))[0]?.id ?? 0;
    const append = h.stores.intake.append;
    let records = 0;
    h.stores.intake.append = (...args) => {
      records++;
      return append(...args);
    };
    const request = { platform: 'test', userId: 'U1', channel: 'C-general', text: '/ci status' };
    const first = await h.deckhand.intake.command(request, { answerWithinMs: 2000, once: 'T-status-1' });
    assert.equal(first.duplicate, false);
    assert.equal(first.duplicate ? undefined : first.reply?.message.header, 'Status');
    const entries = (await h.stores.audit.recent(5)).filter((e) => (e.id ?? 0) > before);
    assert.deepEqual(
      entries.map((e) => [e.text, e.decision]),
      [['/ci status', 'allowed']],
    );
    assert.equal(records, 0, 'no intake record: the audit entry stands for it');
    h.stores.intake.append = append;
    // The same trigger again (a replayed request) is a duplicate: no second answer, no second entry.
    const again = await h.deckhand.intake.command(request, { answerWithinMs: 2000, once: 'T-status-1' });
    assert.equal(again.duplicate, true);
    assert.equal((await h.stores.audit.recent(1))[0]?.id, entries[0]?.id);
  });
});

describe('read-only commands', () => {
  it('cannot be configured to ask for a confirmation', () => {
    const yaml = harnessConfig.replace(
      'confirmations: { commands: [] }',
      'confirmations: { commands: [status] }',
    );
    assert.throws(
      () => parseConfig(yaml, '/deckhand.yaml'),
      /"status" only reads: nothing holds it to confirm/,
    );
  });

  it('are never held, even where a confirmation names them', async () => {
    const h = await createHarness(harnessConfig, {
      edit: (config) => {
        config.confirmations.commands = ['status', 'deploy'];
      },
    });
    try {
      const status = await h.deckhand.intake.command(
        { platform: 'test', userId: 'U1', channel: 'C-general', text: '/ci status' },
        { answerWithinMs: 2000 },
      );
      assert.equal(status.duplicate ? undefined : status.reply?.message.header, 'Status');
      const deploy = await h.core.execute({
        platform: 'test',
        userId: 'U1',
        channel: 'C-general',
        text: '/ci deploy staging v1',
      });
      assert.equal(deploy.decision ?? (await h.stores.audit.recent(1))[0]?.decision, 'held:confirm');
    } finally {
      await h.close();
    }
  });
});

describe("deckhand's own faults", () => {
  it('are said with an error id that is in the log beside the error, never for the input itself', async () => {
    const logs: string[] = [];
    const h = await createHarness(harnessConfig, { logs });
    try {
      h.provider.listBranches = async () => {
        throw new TypeError('cannot read properties of undefined');
      };
      const reply = await h.say('/ci build develop');
      const id =
        /Something went wrong running `\/ci build develop`\. The error is logged \(error id ([0-9a-f]{8})\)\./.exec(
          reply.text ?? '',
        )?.[1];
      assert.ok(id, reply.text);
      const line = logs.map((l) => JSON.parse(l)).find((l) => l.errorId === id);
      assert.match(line?.err?.message ?? '', /cannot read properties/);
      assert.doesNotMatch((await h.say('/ci lock staging --for 99999999999999h')).text ?? '', /went wrong/);
    } finally {
      await h.close();
    }
  });
});
