import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { example, inApp, startGithubDeckhand, webhookSecret } from './helpers.ts';

type Github = Awaited<ReturnType<typeof startGithubDeckhand>>;

describe('POST /webhooks/github', () => {
  let g: Github;
  before(async () => {
    g = await startGithubDeckhand();
  });
  after(() => g.close());

  const run = () => {
    const payload = inApp(
      example('workflow_run', (e) => (e.workflow_run as { conclusion?: string })?.conclusion === 'success'),
    );
    payload.workflow_run.path = '.github/workflows/build.yml';
    return payload;
  };

  it('answers a ping', async () => {
    const res = await g.webhook('ping', { zen: 'Keep it logically awesome.', hook_id: 1 });
    assert.equal(res.statusCode, 200);
  });

  it('refuses a forged or missing signature with a bare 401', async () => {
    const forged = await g.webhook('workflow_run', run(), { signature: `sha256=${'0'.repeat(64)}` });
    assert.equal(forged.statusCode, 401);
    assert.equal(forged.body, '');
    const otherSecret = await g.webhook('workflow_run', run(), {
      signature: 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    });
    assert.equal(otherSecret.statusCode, 401);
    const sha1 = await g.webhook('workflow_run', run(), { signature: 'sha1=abc' });
    assert.equal(sha1.statusCode, 401);
    const tampered = await g.webhook('workflow_run', run(), {
      body: JSON.stringify({ ...run(), action: 'requested' }),
      signature: await import('../../../src/ci/github/index.ts').then((m) =>
        m.signGithubPayload(webhookSecret, JSON.stringify(run())),
      ),
    });
    assert.equal(tampered.statusCode, 401, 'the signature covers the exact body');
  });

  it('answers a redelivery 200 and records it no more, once the first has been taken', async () => {
    const first = await g.webhook('workflow_run', run(), { delivery: 'replay-1' });
    assert.equal(first.statusCode, 202);
    const again = await g.webhook('workflow_run', run(), { delivery: 'replay-1' });
    assert.equal(again.statusCode, 200, 'GitHub shows a redelivery as delivered');
    assert.match(again.json().duplicate, /replay-1 was already received/);
  });

  it('refuses malformed bodies and missing headers with 400, other content types with 415', async () => {
    assert.equal((await g.webhook('workflow_run', undefined, { body: '{"action":' })).statusCode, 400);
    assert.equal((await g.webhook('workflow_run', undefined, { body: '[1,2]' })).statusCode, 400);
    const noId = run();
    delete noId.workflow_run.id;
    const res = await g.webhook('workflow_run', noId);
    assert.equal(res.statusCode, 400);
    assert.match(res.json().error, /workflow_run\.id/);
    const form = await g.webhook('workflow_run', run(), {
      contentType: 'application/x-www-form-urlencoded',
      body: `payload=${encodeURIComponent(JSON.stringify(run()))}`,
    });
    assert.equal(form.statusCode, 415);
    assert.match(form.json().error, /application\/json/);
    const body = JSON.stringify(run());
    const noEvent = await g.app.inject({
      method: 'POST',
      url: '/webhooks/github',
      payload: body,
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': await import('../../../src/ci/github/index.ts').then((m) =>
          m.signGithubPayload(webhookSecret, body),
        ),
      },
    });
    assert.equal(noEvent.statusCode, 400);
  });

  it('refuses an oversized body with 413', async () => {
    const payload = { ...run(), padding: 'x'.repeat(1024 * 1024) };
    assert.equal((await g.webhook('workflow_run', payload)).statusCode, 413);
  });

  it('acknowledges and ignores events for pipelines it does not know', async () => {
    // Earlier tests' deliveries are handled after their answer: wait until nothing changes.
    const settled = async () => {
      for (let last = -1; ; ) {
        await g.deckhand.handled();
        await new Promise((r) => setTimeout(r, 100));
        const count = (await g.deckhand.stores.runs.recent(100)).length;
        if (count === last) return count;
        last = count;
      }
    };
    const before = await settled();
    const otherRepo = inApp(run(), 'org/elsewhere');
    const a = await g.webhook('workflow_run', otherRepo);
    assert.equal(a.statusCode, 200);
    assert.match(a.json().ignored, /no pipeline uses org\/elsewhere/);
    const otherWorkflow = run();
    otherWorkflow.workflow_run.path = '.github/workflows/lint.yml';
    const b = await g.webhook('workflow_run', otherWorkflow);
    assert.equal(b.statusCode, 200);
    assert.match(b.json().ignored, /lint\.yml/);
    const check = inApp(example('check_run', (e) => e.action === 'completed'));
    assert.equal((await g.webhook('check_run', check)).statusCode, 200);
    assert.equal(
      (await g.webhook('star', { action: 'created', repository: { full_name: 'org/app' } })).statusCode,
      200,
    );
    assert.equal(await settled(), before, 'nothing was recorded');
  });

  it('records a run started on GitHub (a push) for a configured workflow, and mentions nobody in #general', async () => {
    const pushed = run();
    Object.assign(pushed.workflow_run, {
      id: 424242,
      event: 'push',
      status: 'in_progress',
      conclusion: null,
    });
    pushed.action = 'in_progress';
    assert.equal((await g.webhook('workflow_run', pushed)).statusCode, 202);
    await g.waitFor('ci-builds', /Build #\d+ running[\s\S]*Branch: master/);
    const [recorded] = await g.deckhand.stores.runs.recent(1);
    assert.equal(recorded?.externalId, '424242');
    assert.equal(recorded?.requestedBy, 'github:Codertocat');
    assert.equal((await g.messages('general')).length, 0, 'nobody in chat asked for it');
  });
});
