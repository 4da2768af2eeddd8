/** Tells whether requests are coming in, so background work can give way to them. */
import type { FastifyInstance } from 'fastify';

/** Quiet for this long after the last request: the burst is over. */
const QUIET_MS = 20;

/**
 * Installs the count on `app` (before its routes). The result is true while a POST waits for its
 * answer or one arrived in the last 20 ms: under load every answer frees a connection for the
 * next request, so "none waiting" at one instant does not mean the load has passed.
 */
export function countWaitingRequests(app: FastifyInstance): () => boolean {
  let waiting = 0;
  let last = Number.NEGATIVE_INFINITY;
  app.addHook('onRequest', (request, reply, done) => {
    // Streams and long polls are GETs that stay open; only POSTs wait for an answer.
    if (request.method === 'POST') {
      waiting++;
      last = performance.now();
      reply.raw.once('close', () => {
        waiting--;
      });
    }
    done();
  });
  return () => waiting > 0 || performance.now() - last < QUIET_MS;
}
