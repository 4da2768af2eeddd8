import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CiProvider } from '../../../src/core/ports.ts';
import { eventually } from '../../helpers/recording-sender.ts';
import { slackText, startSlackDeckhand } from '../../helpers/slack-deckhand.ts';

type Slack = Awaited<ReturnType<typeof startSlackDeckhand>>;

/** Wraps a provider so every call takes `ms` first, as a CI system under load would. */
function slow(provider: CiProvider, ms: number): CiProvider {
  const later = <T>(work: () => Promise<T>) => new Promise((r) => setTimeout(r, ms)).then(work);
  return {
    name: provider.name,
    trigger: (spec) => later(() => provider.trigger(spec)),
    cancel: (id) => later(() => provider.cancel(id)),
    listBranches: (p) => later(() => provider.listBranches(p)),
    hasRef: (p, ref) => later(async () => (await provider.hasRef?.(p, ref)) ?? true),
    close: () => provider.close?.() ?? Promise.resolve(),
  };
}

describe("Slack's 3-second deadline with a CI system that takes 10 s to answer", () => {
  let s: Slack;
  before(async () => {
    s = await startSlackDeckhand();
    const local = s.deckhand.providers.get('local') as CiProvider;
    s.deckhand.providers.set('local', slow(local, 10_000));
  });
  after(() => s.close());

  it('acks in time with what happens next, then reports back in the channel', async () => {
    const started = performance.now();
    const res = await s.command('deploy staging v1.1.0');
    const elapsed = performance.now() - started;
    assert.equal(res.statusCode, 200);
    // The one timing assertion the protocol demands: Slack shows an error after 3 s.
    assert.ok(elapsed < 3000, `acked after ${Math.round(elapsed)} ms`);
    const ack = res.json();
    assert.equal(ack.response_type, 'in_channel');
    assert.match(ack.text, /Deploying `staging` `v1\.1\.0`, triggered by @Alice…/);
    await eventually(
      () =>
        s.fake
          .messagesIn('C-general')
          .some((m) => /Deploy of `v1\.1\.0` to `staging` triggered by @Alice — run #\d+/.test(slackText(m))),
      'the reply once the CI system answered',
      30_000,
    );
  });
});
