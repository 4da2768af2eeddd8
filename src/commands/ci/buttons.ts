/** The buttons on run messages: Cancel while a run goes, Run again after it failed. */

import type { Invocation, Outcome } from '../../core/commands/types.ts';
import type { ButtonSpec, CommandDeps } from '../../core/family.ts';
import { ensureUnlocked } from '../../core/locks.ts';
import { replyMessage } from '../../core/notify/run-message.ts';
import type { RunRecord } from '../../core/store.ts';

const error = (text: string): Outcome => ({ message: { status: 'error', text } });

/** A click on a run's button needs the permission to run that kind of run there. */
async function aboutRun(id: string, verb: string, deps: CommandDeps) {
  const runId = /^\d{1,12}$/.test(id) ? Number(id) : undefined;
  const run = runId === undefined ? undefined : await deps.runs.get(runId);
  return { command: run?.kind ?? verb, args: { environment: run?.environment }, runId };
}

/** Cancels a run on its CI system and records who did (the Cancel button and `/ci cancel #12`). */
export async function cancelRun(runId: number, who: Invocation, deps: CommandDeps): Promise<Outcome> {
  const cancelled = await deps.runs.cancel(runId);
  if (!cancelled) return error(`Run #${runId} is not running any more.`);
  await deps.runs.recordAction(runId, { verb: 'cancel', by: who.person.id, at: deps.clock.now() });
  return {
    message: {
      status: 'cancelled',
      text: `Run #${runId} cancelled by ${deps.render.mention(who.person.id)}.`,
    },
  };
}

/**
 * Running what changes an environment again passes the same gates as typing it: the held card
 * when it is held, else undefined (go ahead).
 */
export async function holdAgain(old: RunRecord, who: Invocation, deps: CommandDeps) {
  if (old.environment)
    await ensureUnlocked(deps.locks, old.environment, who.person.id, deps.clock.now(), deps.render.mention);
  const command = deps.family.commands.find((c) => c.name === old.kind);
  if (!old.environment || !command?.touches) return undefined;
  const args = {
    environment: old.environment,
    ...(old.kind === 'deploy' ? { version: old.version } : {}),
  };
  const text = `/${deps.family.root} ${old.kind} ${old.environment}${args.version ? ` ${args.version}` : ''}`;
  return deps.gates.hold({
    ...who,
    text,
    family: deps.family.root,
    command: old.kind,
    args,
    environment: old.environment,
    subject: command.describe?.(args),
  });
}

export const cancelButton: ButtonSpec = {
  permission: (id, deps) => aboutRun(id, 'cancel', deps),
  async click(id, who, deps) {
    const runId = Number(id);
    if (!Number.isInteger(runId)) return error('That button is not known here any more.');
    return cancelRun(runId, who, deps);
  },
};

export const rerunButton: ButtonSpec = {
  permission: (id, deps) => aboutRun(id, 'rerun', deps),
  async click(id, who, deps) {
    const runId = Number(id);
    const old = Number.isInteger(runId) ? await deps.runs.get(runId) : undefined;
    if (!old) return error(`There is no run #${id}.`);
    const personId = who.person.id;
    const held = await holdAgain(old, who, deps);
    if (held) return held;
    const run = await deps.runs.start({
      kind: old.kind,
      pipeline: old.pipeline,
      ref: old.ref,
      environment: old.environment,
      version: old.version,
      suite: old.suite,
      requestedBy: personId,
      source: { platform: who.platform, channel: who.channel },
      origin: who.origin,
    });
    await deps.runs.recordAction(runId, {
      verb: 'rerun',
      by: personId,
      at: deps.clock.now(),
      note: `run #${run.id}`,
    });
    return { message: replyMessage(run, deps.render), runId: run.id };
  },
};
