/**
 * `/ci cancel` and `/ci retry`: a run on its CI system by number. `cancel` also still withdraws a
 * held request by its code (K7Q2XM), as it did before runs could be cancelled from a command.
 */
import { defineCommand, type Invocation, type Outcome } from '../../core/commands/types.ts';
import { UserError } from '../../core/errors.ts';
import type { CommandDeps } from '../../core/family.ts';
import type { RunRecord } from '../../core/store.ts';
import { cancelRun, holdAgain } from './buttons.ts';

const error = (text: string): Outcome => ({ message: { status: 'error', text } });

/** A run number as typed: `#12` or `12`. */
const runNumber = /^#?(\d{1,12})$/;

/**
 * Whether `value` names a held request rather than a run: codes are six letters and digits 2–9,
 * so only six such digits are both; they are a request when one has that code (`#` means a run).
 */
async function isRequest(value: string, deps: CommandDeps): Promise<boolean> {
  if (!runNumber.test(value)) return true;
  if (value.startsWith('#') || !/^[2-9]{6}$/.test(value)) return false;
  return (await deps.gates.request(value)) !== undefined;
}

/** The run, once the person may run its kind of run where it runs (as its buttons require). */
async function permittedRun(
  id: string,
  who: Invocation,
  verb: string,
  deps: CommandDeps,
): Promise<RunRecord> {
  const runId = Number(id.replace(/^#/, ''));
  const run = await deps.runs.get(runId);
  if (!run) throw new UserError(`There is no run #${runId}. \`/ci status\` lists recent runs.`);
  const verdict = deps.policy.decide({
    person: who.person,
    platform: who.platform,
    userId: who.userId,
    channel: who.channel,
    family: deps.family.root,
    command: run.kind,
    args: { environment: run.environment },
  });
  if (!verdict.allowed)
    throw new UserError(
      `To ${verb} run #${runId}, you need to be allowed its ${run.kind}. ${verdict.reason ?? ''}`.trim(),
    );
  return run;
}

export const cancel = defineCommand<CommandDeps>({
  name: 'cancel',
  summary: 'Cancel a run (`#12`), or withdraw your own held request (its code).',
  args: [
    {
      name: 'target',
      type: 'text',
      required: true,
      max: 20,
      description: 'a run number (#12) or a request code (K7Q2XM)',
    },
  ],
  examples: ['cancel #12', 'cancel K7Q2XM'],
  async handle(args, who, deps) {
    const target = (args.target as string).trim();
    if (await isRequest(target, deps)) return deps.gates.cancel(target, who.person);
    const run = await permittedRun(target, who, 'cancel', deps);
    return cancelRun(run.id, who, deps);
  },
});

export const retry = defineCommand<CommandDeps>({
  name: 'retry',
  summary: 'Rerun the failed jobs of a run, where its CI system can.',
  args: [{ name: 'run', type: 'run-id', required: true, description: 'the failed run, e.g. #12' }],
  examples: ['retry #12', 'retry 12'],
  async handle(args, who, deps) {
    const run = await permittedRun(args.run as string, who, 'retry', deps);
    if (run.status !== 'failed') {
      const state = run.status === 'queued' || run.status === 'running' ? 'is still going' : run.status;
      throw new UserError(`Run #${run.id} ${state}: only a failed run's jobs can be retried.`);
    }
    const provider = deps.catalog.provider(run.pipeline);
    if (!provider?.rerun || !run.externalId)
      throw new UserError(
        `${provider?.name ?? run.provider} cannot rerun the failed jobs of run #${run.id} in place; ` +
          `the Run again button on its message starts it anew.`,
      );
    // Rerunning what changes an environment passes the same gates as deploying it.
    const held = await holdAgain(run, who, deps);
    if (held) return held;
    if (!(await provider.rerun(run.id, run.externalId)))
      return error(
        `${provider.name} would not rerun run #${run.id}: nothing failed to rerun, or it is still going.`,
      );
    await deps.runs.recordAction(run.id, {
      verb: 'rerun',
      by: who.person.id,
      at: deps.clock.now(),
      note: 'failed jobs, in place',
    });
    return {
      message: {
        status: 'running',
        text: `Rerunning the failed jobs of run #${run.id} on ${provider.name}, asked by ${deps.render.mention(who.person.id)}.`,
        ...(run.url ? { link: { label: 'Open run', url: run.url } } : {}),
      },
    };
  },
});
