/** Escalation with a fake clock: levels paged on time, round again, stop at ack; a restart neither loses nor doubles a page. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextState } from '../../../src/core/incidents/escalation.ts';
import { fakeClock, incidentHarness } from './harness.ts';

const minutes = (n: number) => n * 60_000;

describe('escalation', () => {
  it('nextState walks the levels, rounds again `repeat` times, then stops', () => {
    const levels = [{ afterMs: 1 }, { afterMs: 2 }];
    const now = new Date(0);
    assert.deepEqual(nextState({ level: 0, round: 0 }, levels, 1, now), {
      level: 1,
      round: 0,
      nextAt: new Date(2),
    });
    assert.deepEqual(nextState({ level: 1, round: 0 }, levels, 1, now), {
      level: 0,
      round: 1,
      nextAt: new Date(1),
    });
    assert.deepEqual(nextState({ level: 1, round: 1 }, levels, 1, now), {
      level: 1,
      round: 1,
      nextAt: undefined,
    });
  });

  it('pages the next level when due, survives a restart, and stops once acknowledged', async () => {
    const clock = fakeClock();
    let h = await incidentHarness({ clock });
    const { dir } = h;
    const pages = (who: string) =>
      h.sender.sent.filter((s) => s.op === 'post' && new RegExp(`Paging ${who}`).test(s.message.text ?? ''))
        .length;
    try {
      await h.say('/incident declare api down');
      const tick = async () => {
        const n = await h.deckhand.incidents?.escalation.tick();
        await h.settle();
        return n;
      };
      clock.advance(minutes(4));
      assert.equal(await tick(), 0, 'level 1 waits 5 minutes');
      clock.advance(minutes(1));
      assert.equal(await tick(), 1);
      assert.equal(pages('@Carol'), 1, 'level 2 pages carol');
      assert.ok(
        h.sender.invites.some((i) => i.members.includes('U3')),
        'and invites her to the channel',
      );

      // A restart on the same database: the state is on disk.
      await h.close(true);
      h = await incidentHarness({ clock, sqlite: `${dir}/deckhand.db` });
      assert.equal(await tick(), 0, 'nothing is due again after the restart');
      clock.advance(minutes(10));
      const [incident] = await h.deckhand.stores.incidentStore.open();
      assert.ok(incident);
      // A process that crashed after posting the level-3 page, before recording it, posted this:
      await h.deckhand.incidents?.service.page(incident, 2, 0, 'escalation');
      assert.equal(await tick(), 1);
      assert.equal(pages('@Alice'), 1, 'the page posted before the crash is not posted twice');

      clock.advance(minutes(10));
      assert.equal(await tick(), 1, 'the policy repeats once');
      assert.equal(pages('@Bob'), 1);
      await h.say('/incident ack', 'U2');
      clock.advance(minutes(60));
      assert.equal(await tick(), 0, 'acknowledged: paging stops');
      const events = await h.deckhand.stores.incidentStore.events(incident.id);
      assert.ok(events.some((e) => e.kind === 'paged' && /@Carol/.test(e.text)));
    } finally {
      await h.close();
    }
  });

  it('/incident escalate pages the next level at once', async () => {
    const h = await incidentHarness();
    try {
      await h.say('/incident declare db slow');
      const reply = await h.say('/incident escalate');
      assert.match(reply.text ?? '', /Paging @Carol \(escalation level 2\) for incident #1/);
    } finally {
      await h.close();
    }
  });
});
