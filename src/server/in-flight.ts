/** Counts POST requests still waiting for their answer, so background work can give way to them. */
import type { FastifyInstance } from 'fastify';

/** Installs the count on `app` (before its routes); the result says whether any request waits. */
export function countWaitingRequests(app: FastifyInstance): () => boolean {
  let waiting = 0;
  app.addHook('onRequest', (request, reply, done) => {
    // Streams and long polls are GETs that stay open; only POSTs wait for an answer.
    if (request.method === 'POST') {
      waiting++;
      reply.raw.once('close', () => {
        waiting--;
      });
    }
    done();
  });
  return () => waiting > 0;
}
