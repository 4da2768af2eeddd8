/** `GET /runs/:id/log`: a run's step logs as plain text (the local runner keeps them on disk). */
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { RunRecord } from '../core/store.ts';

export interface RunLogSource {
  get(id: number): Promise<RunRecord | undefined>;
  /** The log file of a run's step, where its CI system keeps one here. */
  logFile(run: RunRecord, stepIndex: number): string | undefined;
  /** Masks secrets the steps printed. */
  redact(text: string): string;
}

export function registerRunLogs(app: FastifyInstance, source: RunLogSource): void {
  app.get<{ Params: { id: string } }>('/runs/:id/log', async (request, reply) => {
    const { id } = request.params;
    if (!/^\d{1,12}$/.test(id))
      return reply.code(400).send({ error: 'A run id is a number, like /runs/12/log.' });
    const run = await source.get(Number(id));
    if (!run) return reply.code(404).send({ error: `There is no run #${id}.` });
    const parts = [`Run #${run.id} (${run.kind}, ${run.pipeline} pipeline) at ${run.ref}: ${run.status}`];
    for (const step of run.steps) {
      const file = source.logFile(run, step.index);
      const text = file ? await readFile(file, 'utf8').catch(() => '') : '';
      parts.push(`\n=== Step ${step.index + 1}: ${step.name} (${step.status}) ===\n${text || '(no log)'}`);
    }
    return reply.type('text/plain; charset=utf-8').send(source.redact(parts.join('\n')));
  });
}
