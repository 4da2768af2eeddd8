/** Baseline: node:http that also checks the Slack signature (deckhand's own check) before answering. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySlackRequest } from '../../src/chat/slack/verify.ts';
import { serve } from '../lib/child.ts';
import { signingSecret } from '../lib/config.ts';

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const verdict = verifySlackRequest({
      signingSecret,
      rawBody: Buffer.concat(chunks).toString('utf8'),
      signature: header(req.headers['x-slack-signature']),
      timestamp: header(req.headers['x-slack-request-timestamp']),
    });
    res.writeHead(verdict.ok ? 200 : 401, { 'content-type': 'application/json' });
    res.end(verdict.ok ? '{"response_type":"ephemeral","text":"ok"}' : '');
  });
});
server.listen(0, '127.0.0.1', () => {
  serve((server.address() as AddressInfo).port, {
    rss: () => process.memoryUsage().rss,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  });
});
