/** Baseline: a bare node:http server that reads the body and answers 200. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '../lib/child.ts';

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"response_type":"ephemeral","text":"ok"}');
  });
});
server.listen(0, '127.0.0.1', () => {
  serve((server.address() as AddressInfo).port, {
    rss: () => process.memoryUsage().rss,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  });
});
