/** Turns a run into the neutral messages that describe it. */
import { formatDuration } from '../format.ts';
import type { Field, Message, Status } from '../messages.ts';
import type { StepInfo } from '../pipeline-events.ts';
import type { RunAction, RunRecord } from '../store.ts';

const kindTitle = { build: 'Build', test: 'Test', deploy: 'Deploy', rollback: 'Rollback' } as const;

/** `Build #12`, `Deploy #13 to staging`, `Test #14 (integration)`. */
export function runTitle(run: RunRecord): string {
  const base = `${kindTitle[run.kind]} #${run.id}`;
  if (run.environment) return `${base} to ${run.environment}`;
  if (run.suite) return `${base} (${run.suite})`;
  return base;
}

/** What is being run, e.g. "`main`" or "`v1.2.0` to `staging`". */
export function runSubject(run: RunRecord): string {
  if (run.environment) return `\`${run.version ?? run.ref}\` to \`${run.environment}\``;
  if (run.suite) return `\`${run.suite}\` tests on \`${run.ref}\``;
  return `\`${run.ref}\``;
}

export interface RenderContext {
  mention(personId: string): string;
  logUrl?(runId: number): string | undefined;
  /** A mention for a commit author's email, when it belongs to a configured person. */
  mentionEmail?(email: string): string | undefined;
}

function progress(run: RunRecord): string | undefined {
  if (run.status !== 'running') return undefined;
  const current = run.steps.find((s) => s.status === 'running');
  if (current) return `Step ${current.index + 1}/${run.steps.length}: ${current.name}…`;
  return run.steps.length === 0 ? 'Checking out…' : undefined;
}

/** The one message per run that is posted once and then updated in place. */
export function runMessage(run: RunRecord, ctx: RenderContext): Message {
  const fields: Field[] = [];
  if (run.environment) {
    fields.push({ label: 'Environment', value: run.environment });
    fields.push({ label: 'Version', value: run.version ?? run.ref });
  } else {
    fields.push({ label: 'Branch', value: run.ref });
    if (run.suite) fields.push({ label: 'Suite', value: run.suite });
  }
  if (run.commit) fields.push({ label: 'Commit', value: run.commit.sha.slice(0, 7) });
  fields.push({ label: 'Triggered by', value: ctx.mention(run.requestedBy) });
  if (run.durationMs !== undefined) fields.push({ label: 'Duration', value: formatDuration(run.durationMs) });

  const lines: string[] = [];
  if (run.commit?.message) lines.push(run.commit.message.split('\n')[0] as string);
  const step = progress(run);
  if (step) lines.push(step);
  if (run.reason && run.status !== 'succeeded') lines.push(run.reason);
  if (run.tests && run.tests.failed > 0) {
    lines.push(`Failed tests (${run.tests.failed} of ${run.tests.total}):`);
    for (const t of run.tests.failures.slice(0, 10)) lines.push(`• ${t.suite} › ${t.name}`);
    if (run.tests.failures.length > 10) lines.push(`…and ${run.tests.failures.length - 10} more`);
  } else if (run.tests && run.status === 'succeeded') {
    lines.push(
      `${run.tests.total} tests passed${run.tests.skipped ? `, ${run.tests.skipped} skipped` : ''}.`,
    );
  }

  const author = run.commit?.authorEmail ? ctx.mentionEmail?.(run.commit.authorEmail) : undefined;
  if (author && run.status === 'failed') lines.push(`Commit author: ${author}`);
  const url = run.url ?? ctx.logUrl?.(run.id);
  const message: Message = {
    header: `${runTitle(run)} ${run.status}`,
    status: run.status as Status,
    text: lines.join('\n') || undefined,
    fields,
    context: [`Run #${run.id} · ${run.pipeline} pipeline on ${run.provider}`],
  };
  if (url) message.link = { label: 'Log', url };
  for (const a of run.actions) message.context?.push(actionLine(a, ctx));
  // A button disappears once someone has clicked it, so nobody clicks twice.
  const done = (verb: string) => run.actions.some((a) => a.verb === verb);
  if ((run.status === 'queued' || run.status === 'running') && !done('cancel')) {
    message.buttons = [{ id: `cancel:${run.id}`, label: 'Cancel', style: 'danger' }];
  } else if ((run.status === 'failed' || run.status === 'cancelled') && !done('rerun')) {
    message.buttons = [{ id: `rerun:${run.id}`, label: 'Run again', style: 'primary' }];
  }
  return message;
}

function actionLine(action: RunAction, ctx: RenderContext): string {
  const who = ctx.mention(action.by);
  const what = action.verb === 'cancel' ? `Cancel requested by ${who}` : `Run again by ${who}`;
  return action.note ? `${what} — ${action.note}` : what;
}

/** A thread reply for a finished step, with its log tail when it failed. */
export function stepMessage(run: RunRecord, step: StepInfo): Message {
  const took = step.durationMs !== undefined ? ` in ${formatDuration(step.durationMs)}` : '';
  const exit = step.status === 'failed' && step.exitCode != null ? ` (exit ${step.exitCode})` : '';
  const message: Message = {
    status: step.status as Status,
    header: `Step ${step.index + 1}: ${step.name} ${step.status}${exit}${took}`,
    context: [`Run #${run.id}`],
  };
  if (step.status !== 'succeeded' && step.logTail) message.text = `\`\`\`\n${step.logTail}\n\`\`\``;
  return message;
}

/** The requester's reply, updated when the run ends. */
export function replyMessage(run: RunRecord, ctx: RenderContext): Message {
  const who = ctx.mention(run.requestedBy);
  const verb = { build: 'Build of', test: 'Tests', deploy: 'Deploy of', rollback: 'Rollback of' }[run.kind];
  const subject =
    run.kind === 'test'
      ? `\`${run.suite}\` on \`${run.ref}\``
      : run.kind === 'rollback'
        ? `\`${run.environment}\` to \`${run.version}\``
        : runSubject(run);
  const head = `${verb} ${subject} triggered by ${who} — run #${run.id}`;
  if (run.status === 'queued' || run.status === 'running') {
    return { status: run.status, text: head };
  }
  const took = run.durationMs !== undefined ? ` in ${formatDuration(run.durationMs)}` : '';
  return {
    status: run.status as Status,
    text: `${head} ${run.status}${took}.${run.reason && run.status !== 'succeeded' ? ` ${run.reason}` : ''}`,
  };
}
