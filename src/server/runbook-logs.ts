/** `GET /runbooks/:id/log`: a runbook execution's full log as plain text (kept redacted). */
import type { FastifyInstance } from 'fastify';

export interface RunbookLogSource {
  log(id: number): Promise<string | undefined>;
  /** Masks secrets registered since the log was kept. */
  redact(text: string): string;
}

export function registerRunbookLogs(app: FastifyInstance, source: RunbookLogSource): void {
  app.get<{ Params: { id: string } }>('/runbooks/:id/log', async (request, reply) => {
    const { id } = request.params;
    if (!/^\d{1,12}$/.test(id))
      return reply.code(400).send({ error: 'A runbook execution id is a number, like /runbooks/3/log.' });
    const text = await source.log(Number(id));
    if (text === undefined) return reply.code(404).send({ error: `There is no runbook execution #${id}.` });
    return reply.type('text/plain; charset=utf-8').send(source.redact(text));
  });
}
