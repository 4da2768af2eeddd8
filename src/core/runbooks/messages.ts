/** What a runbook execution looks like in chat: one card edited in place, and step details in its thread. */
import { type Message, type Status, statusEmoji } from '../messages.ts';
import type { Execution, ExecutionStep } from './store-port.ts';

/** The outbox key of an execution's card (its thread hangs under it). */
export const runbookKey = (id: number) => `ops:${id}`;

/** Characters of output shown in the thread; the rest is at the log link. */
export const threadOutputLimit = 1500;

const stepStatus: Record<ExecutionStep['status'], Status> = {
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  interrupted: 'warning',
};

const runStatus: Record<Execution['status'], Status> = {
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  interrupted: 'warning',
};

const phaseLabel = (s: Pick<ExecutionStep, 'phase' | 'index' | 'name'>) =>
  s.phase === 'step'
    ? `${s.index + 1}. ${s.name}`
    : `${s.index + 1}. ${s.name} (${s.phase === 'check' ? 'check' : 'undo'})`;

/** `service=web-service environment=production`. */
export const argsLine = (args: Execution['args']) =>
  Object.entries(args)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=\`${v}\``)
    .join(' ');

export interface CardInput {
  execution: Execution;
  steps: readonly ExecutionStep[];
  /** The runbook's step names, to show what is still to come. */
  planned: readonly string[];
  mention(id: string): string;
  logUrl: string;
  /** A last sentence (what failed, what was undone, what a restart interrupted). */
  note?: string;
}

/** The card: each step's state, what comes next, and the final status. */
export function runbookCard(c: CardInput): Message {
  const { execution: e } = c;
  const lines = c.steps.map(
    (s) => `${statusEmoji[stepStatus[s.status]]} ${phaseLabel(s)}${s.summary ? ` — ${s.summary}` : ''}`,
  );
  if (e.status === 'running') {
    // What is still to come: the steps at or after the one reached that have not run.
    const reached = Math.max(0, ...c.steps.map((s) => s.index));
    c.planned.forEach((name, i) => {
      if (i >= reached && !c.steps.some((s) => s.phase === 'step' && s.index === i))
        lines.push(`${statusEmoji.queued} ${i + 1}. ${name}`);
    });
  }
  if (c.note) lines.push(c.note);
  const args = argsLine(e.args);
  return {
    header: `Runbook ${e.runbook} #${e.id}: ${e.status}`,
    status: runStatus[e.status],
    text: lines.join('\n'),
    context: [`Requested by ${c.mention(e.requestedBy)}${args ? ` · ${args}` : ''}`],
    link: { label: 'Full log', url: c.logUrl },
  };
}

/** A finished action's detail for the card's thread: its result and the tail of its output. */
export function stepDetail(step: ExecutionStep): Message {
  const output = step.log.trim();
  const tail = output.length > threadOutputLimit ? `…${output.slice(-threadOutputLimit)}` : output;
  return {
    header: `${phaseLabel(step)}: ${step.status}`,
    status: stepStatus[step.status],
    text: [step.summary, tail ? `Output:\n${tail}` : 'No output.'].filter(Boolean).join('\n'),
  };
}

/** The full log as plain text, for the log link. */
export function fullLog(e: Execution, steps: readonly ExecutionStep[]): string {
  const head = `Runbook ${e.runbook} #${e.id} (${argsLine(e.args).replaceAll('`', '') || 'no arguments'}): ${e.status}`;
  const parts = steps.map(
    (s) =>
      `\n=== ${phaseLabel(s)}: ${s.status}${s.summary ? ` — ${s.summary}` : ''} ===\n${s.log || '(no output)'}`,
  );
  return [head, ...parts].join('\n');
}
