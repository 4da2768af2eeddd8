/** Liveness and readiness. */
import type { FastifyInstance } from 'fastify';
import type { LinkState } from './connections.ts';

export interface ReadinessChecks {
  [name: string]: () => boolean | Promise<boolean>;
}

/**
 * `/healthz`: the process answers. `/readyz`: the database and workers, and every module's link to
 * its platform or CI system (from their last attempt: a probe never calls out); 503 names what is
 * down under `reasons`.
 */
export function registerHealth(
  app: FastifyInstance,
  checks: ReadinessChecks,
  links: () => Record<string, LinkState> = () => ({}),
): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const results: Record<string, boolean> = {};
    const reasons: Record<string, string> = {};
    for (const [name, check] of Object.entries(checks)) {
      results[name] = await Promise.resolve()
        .then(check)
        .catch(() => false);
    }
    for (const [name, link] of Object.entries(links())) {
      results[name] = link.up;
      if (!link.up) reasons[name] = link.reason ?? 'not connected';
    }
    const ready = Object.values(results).every(Boolean);
    return reply.code(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'not ready',
      checks: results,
      ...(Object.keys(reasons).length ? { reasons } : {}),
    });
  });
}
