import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { toPlainText } from '../../src/core/messages.ts';
import type { SecurityAlert } from '../../src/core/notify/security.ts';
import { createHarness, harnessConfig } from '../helpers/core-harness.ts';

type Harness = Awaited<ReturnType<typeof createHarness>>;

const alert = (over: Partial<SecurityAlert>): SecurityAlert => ({
  provider: 'github',
  source: 'dependabot',
  repository: 'org/app',
  severity: 'high',
  title: 'lodash: Prototype Pollution',
  subject: 'lodash',
  url: 'https://github.example.com/org/app/security/dependabot/1',
  action: 'created',
  ...over,
});

describe('security alerts', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness(`${harnessConfig}  - { kind: security, channels: [deploys] }\n`);
  });
  after(() => h.close());

  it('routes high and critical alerts to the security channels, and nothing else', async () => {
    assert.equal(await h.notifier.security(alert({ severity: 'critical' })), true);
    assert.equal(await h.notifier.security(alert({ severity: 'high', action: 'fixed' })), true);
    assert.equal(await h.notifier.security(alert({ severity: 'medium' })), false);
    assert.equal(await h.notifier.security(alert({ severity: 'low' })), false);
    await h.outbox.settle();
    const sent = h.sender.sent.filter((s) => s.message.header?.startsWith('Security alert'));
    assert.deepEqual(
      sent.map((s) => [s.channel, s.message.status]),
      [
        ['C-deploys', 'error'],
        ['C-deploys', 'succeeded'],
      ],
    );
    const text = toPlainText(sent[0]?.message ?? {});
    assert.match(text, /Security alert \(critical\): lodash: Prototype Pollution/);
    assert.match(text, /Repository: org\/app/);
    assert.match(text, /Package: lodash/);
    assert.match(text, /Alert: https:\/\/github\.example\.com/);
  });
});
