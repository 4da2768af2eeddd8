import { UserError } from '../errors.ts';
import type { Limits } from '../family.ts';
import { formatSpan, parseDuration } from '../format.ts';
import { lockSentence } from '../locks.ts';
import type { RenderContext } from '../notify/run-message.ts';
import type { Clock } from '../ports.ts';
import type { LockStore } from '../store.ts';
import { defineCommand } from './types.ts';

type Deps = { locks: LockStore; clock: Clock; render: RenderContext; limits: Limits };

/** The shortest lock `--for` takes. */
const MIN_MS = 60_000;

export const lock = defineCommand<Deps>({
  name: 'lock',
  summary: 'Lock an environment: deploys and rollbacks by anyone but you are refused.',
  args: [
    { name: 'environment', type: 'environment', required: true, description: 'environment to lock' },
    { name: 'reason', type: 'text', rest: true, description: 'why, shown to everyone it stops' },
  ],
  flags: [
    {
      name: 'for',
      type: 'text',
      value: 'duration',
      description: 'how long, e.g. 30m or 2h (no expiry when omitted)',
    },
  ],
  examples: ['lock production release freeze', 'lock staging --for 2h testing the migration'],
  async handle(args, who, deps) {
    const now = deps.clock.now();
    const ms = args.for === undefined ? undefined : parseDuration(args.for);
    if (args.for !== undefined && ms === undefined)
      throw new UserError(`\`${args.for.slice(0, 40)}\` is not a duration; write e.g. 30m or 2h.`);
    if (ms !== undefined && !(ms >= MIN_MS && ms <= deps.limits.lockMs))
      throw new UserError(
        `A lock lasts from ${formatSpan(MIN_MS)} to ${formatSpan(deps.limits.lockMs)} (\`locks.maxDuration\`); \`${args.for?.slice(0, 40)}\` is outside that. Leave out --for for a lock that lasts until you unlock it.`,
      );
    const environment = args.environment as string;
    const wanted = {
      environment,
      owner: who.person.id,
      reason: args.reason,
      createdAt: now,
      expiresAt: ms ? new Date(now.getTime() + ms) : undefined,
    };
    if (!(await deps.locks.acquire(wanted, now))) {
      const held = await deps.locks.get(environment, now);
      throw new UserError(held ? lockSentence(held, deps.render.mention) : `\`${environment}\` is locked.`);
    }
    return { message: { status: 'warning', text: `🔒 ${lockSentence(wanted, deps.render.mention)}` } };
  },
});

export const unlock = defineCommand<Deps>({
  name: 'unlock',
  summary: "Unlock an environment you locked (--force for someone else's lock; audited).",
  args: [{ name: 'environment', type: 'environment', required: true, description: 'environment to unlock' }],
  flags: [{ name: 'force', type: 'text', literal: 'yes', description: "`yes` to lift someone else's lock" }],
  examples: ['unlock production', 'unlock staging --force yes'],
  async handle(args, who, deps) {
    const environment = args.environment as string;
    const held = await deps.locks.get(environment, deps.clock.now());
    if (!held) throw new UserError(`\`${environment}\` is not locked.`);
    if (held.owner !== who.person.id && args.force !== 'yes') {
      throw new UserError(
        `${lockSentence(held, deps.render.mention)} Ask them, or add \`--force yes\` (audited).`,
      );
    }
    await deps.locks.release(environment);
    const whose = held.owner === who.person.id ? '' : ` (locked by ${deps.render.mention(held.owner)})`;
    return {
      message: {
        status: 'info',
        text: `🔓 \`${environment}\` unlocked by ${deps.render.mention(who.person.id)}${whose}.`,
      },
    };
  },
});

export const locks = defineCommand<Deps>({
  name: 'locks',
  summary: 'List the environments that are locked, by whom, why and until when.',
  args: [],
  examples: ['locks'],
  readOnly: true,
  async handle(_args, _who, deps) {
    const held = await deps.locks.list(deps.clock.now());
    const text = held.length
      ? held.map((l) => `🔒 ${lockSentence(l, deps.render.mention)}`).join('\n')
      : 'No environment is locked.';
    return { message: { header: 'Locks', status: 'info', text } };
  },
});
