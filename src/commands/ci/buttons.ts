/** The buttons on run messages: Cancel while a run goes, Run again after it failed. */

import type { Outcome } from '../../core/commands/types.ts';
import type { ButtonSpec, CommandDeps } from '../../core/family.ts';
import { ensureUnlocked } from '../../core/locks.ts';
import { replyMessage } from '../../core/notify/run-message.ts';

const error = (text: string): Outcome => ({ message: { status: 'error', text } });

/** A click on a run's button needs the permission to run that kind of run there. */
async function aboutRun(id: string, verb: string, deps: CommandDeps) {
  const runId = /^\d{1,12}$/.test(id) ? Number(id) : undefined;
  const run = runId === undefined ? undefined : await deps.runs.get(runId);
  return { command: run?.kind ?? verb, args: { environment: run?.environment }, runId };
}

export const cancelButton: ButtonSpec = {
  permission: (id, deps) => aboutRun(id, 'cancel', deps),
  async click(id, who, deps) {
    const runId = Number(id);
    if (!Number.isInteger(runId)) return error('That button is not known here any more.');
    const cancelled = await deps.runs.cancel(runId);
    if (!cancelled) return error(`Run #${runId} is not running any more.`);
    await deps.runs.recordAction(runId, { verb: 'cancel', by: who.person.id, at: deps.clock.now() });
    return {
      message: {
        status: 'cancelled',
        text: `Run #${runId} cancelled by ${deps.render.mention(who.person.id)}.`,
      },
    };
  },
};

export const rerunButton: ButtonSpec = {
  permission: (id, deps) => aboutRun(id, 'rerun', deps),
  async click(id, who, deps) {
    const runId = Number(id);
    const old = Number.isInteger(runId) ? await deps.runs.get(runId) : undefined;
    if (!old) return error(`There is no run #${id}.`);
    const personId = who.person.id;
    if (old.environment)
      await ensureUnlocked(deps.locks, old.environment, personId, deps.clock.now(), deps.render.mention);
    // Running what changes an environment again passes the same gates as typing it.
    const command = deps.family.commands.find((c) => c.name === old.kind);
    if (old.environment && command?.touches) {
      const args = {
        environment: old.environment,
        ...(old.kind === 'deploy' ? { version: old.version } : {}),
      };
      const text = `/${deps.family.root} ${old.kind} ${old.environment}${args.version ? ` ${args.version}` : ''}`;
      const held = await deps.gates.hold({
        ...who,
        text,
        family: deps.family.root,
        command: old.kind,
        args,
        environment: old.environment,
        subject: command.describe?.(args),
      });
      if (held) return held;
    }
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
