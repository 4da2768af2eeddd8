/**
 * Debian's real prometheus-alertmanager delivers to deckhand over loopback: its webhook receiver
 * (bearer token through `http_config.authorization.credentials`) gets a firing alert posted to its
 * API (`POST /api/v2/alerts`), then the same alert with `endsAt` in the past. Config keys as
 * https://prometheus.io/docs/alerting/latest/configuration/ documents them.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { incidentHarness } from '../core/incidents/harness.ts';
import { eventually } from '../helpers/recording-sender.ts';

const binary = '/usr/bin/prometheus-alertmanager';
const token = 'am-token-0123456789';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

describe('a real Alertmanager', () => {
  let child: ChildProcess | undefined;
  let dir: string | undefined;
  let close: (() => Promise<void>) | undefined;
  after(async () => {
    child?.kill('SIGKILL');
    await close?.();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('opens one incident with on-call invited, then resolves it', async (t) => {
    if (!existsSync(binary)) {
      if (process.env.CI) assert.fail(`${binary} is missing: .ci/run installs prometheus-alertmanager`);
      t.skip(
        `${binary} is not installed (apt-get install prometheus-alertmanager); set CI to make this a failure`,
      );
      return;
    }
    const h = await incidentHarness({ clock: { now: () => new Date(), advance: () => undefined } });
    close = () => h.close();
    const address = await h.deckhand.listen(0, '127.0.0.1');
    dir = mkdtempSync(path.join(tmpdir(), 'deckhand-alertmanager-'));
    const port = await freePort();
    writeFileSync(
      path.join(dir, 'alertmanager.yml'),
      [
        'global:',
        '  resolve_timeout: 10s',
        'route:',
        '  receiver: deckhand',
        '  group_by: [alertname]',
        '  group_wait: 1s',
        '  group_interval: 1s',
        '  repeat_interval: 1h',
        'receivers:',
        '  - name: deckhand',
        '    webhook_configs:',
        `      - url: ${address}/webhooks/alertmanager`,
        '        send_resolved: true',
        '        http_config:',
        '          authorization:',
        `            credentials: ${token}`,
        '',
      ].join('\n'),
    );
    let log = '';
    child = spawn(
      binary,
      [
        `--config.file=${path.join(dir, 'alertmanager.yml')}`,
        `--storage.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stderr?.on('data', (chunk) => {
      log = (log + String(chunk)).slice(-4000);
    });
    const api = `http://127.0.0.1:${port}`;
    await eventually(
      async () => (await fetch(`${api}/-/ready`).catch(() => undefined))?.ok === true,
      `Alertmanager ready (${log})`,
    );

    const startsAt = new Date(Date.now() - 60_000).toISOString();
    const alert = {
      labels: {
        alertname: 'CheckoutDown',
        environment: 'production',
        service: 'checkout',
        severity: 'critical',
      },
      annotations: { summary: 'Checkout is down' },
      startsAt,
      generatorURL: 'http://prometheus.example.org/graph',
    };
    const send = async (body: unknown) => {
      const answer = await fetch(`${api}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      assert.equal(answer.status, 200, await answer.text());
    };
    await send([alert]);
    const store = h.deckhand.stores.incidentStore;
    await eventually(async () => (await store.open()).length === 1, `an incident opened (${log})`);
    const [incident] = await store.open();
    assert.equal(incident?.title, 'Checkout is down');
    const room = h.sender.channels.get(`inc-${incident?.id}-checkout-is-down`);
    assert.deepEqual(room?.members, ['U2'], 'bob, on call, is invited');

    await send([{ ...alert, endsAt: new Date(Date.now() - 1000).toISOString() }]);
    await eventually(
      async () => (await store.get(incident?.id ?? 0))?.status === 'resolved',
      `the incident resolved (${log})`,
    );
    assert.equal((await store.recent(10)).length, 1, 'one incident, however often Alertmanager sent');
    await h.settle();
    assert.ok(h.sender.sent.some((s) => /The alert resolved \(alertmanager\)/.test(s.message.text ?? '')));
  });
});
