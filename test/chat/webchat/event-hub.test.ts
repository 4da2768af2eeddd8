import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { createEventHub } from '../../../src/chat/webchat/event-hub.ts';
import { openStream } from './sse-client.ts';

test('the hub sends heartbeats, forgets closed clients and refuses streams once closed', async () => {
  const hub = createEventHub({ heartbeatMs: 20 });
  const server = createServer((request, response) => hub.attach(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  try {
    const stream = await openStream(url);
    await stream.next((e) => e.event === 'comment' && e.data === 'heartbeat');
    assert.equal(hub.size, 1);
    hub.broadcast('message', { id: '1', text: 'two\nlines' });
    const event = await stream.next((e) => e.event === 'message');
    assert.deepEqual(JSON.parse(event.data), { id: '1', text: 'two\nlines' });

    stream.close();
    const deadline = Date.now() + 1000;
    while (hub.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(hub.size, 0, 'a client that went away is dropped');

    hub.close();
    const refused = await fetch(url);
    assert.equal(refused.status, 503);
    assert.match(((await refused.json()) as { error: string }).error, /shutting down/);
  } finally {
    hub.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
