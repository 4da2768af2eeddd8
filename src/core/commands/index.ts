/** Every /ci command, listed explicitly; help is generated from this list. */
import { audit } from './audit.ts';
import { build } from './build.ts';
import { deploy } from './deploy.ts';
import { approve, cancel, confirm, reject } from './gates.ts';
import { help } from './help.ts';
import { lock, locks, unlock } from './lock.ts';
import { rollback } from './rollback.ts';
import { stats } from './stats.ts';
import { status } from './status.ts';
import { test } from './test.ts';
import type { Args, Command, Invocation, Outcome } from './types.ts';
import { whoami } from './whoami.ts';

type DepsOf<C> = C extends Command<infer D> ? D : never;
type Commands =
  | typeof build
  | typeof test
  | typeof deploy
  | typeof rollback
  | typeof status
  | typeof whoami
  | typeof lock
  | typeof confirm
  | typeof audit
  | typeof stats
  | typeof help;
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;

/** Everything the commands need together, minus the list help reads (supplied here). */
export type CommandDeps = Omit<UnionToIntersection<DepsOf<Commands>>, 'commands'>;

/** A command bound to its dependencies. */
export interface BoundCommand extends Omit<Command<never>, 'handle'> {
  run(args: Args, who: Invocation): Promise<Outcome>;
}

export const commandModules = [
  build,
  test,
  deploy,
  rollback,
  status,
  lock,
  unlock,
  locks,
  confirm,
  cancel,
  approve,
  reject,
  audit,
  stats,
  whoami,
  help,
] as const;

export function bindCommands(deps: CommandDeps): BoundCommand[] {
  const modules = commandModules as readonly Command<never>[];
  const all = { ...deps, commands: modules } as unknown as never;
  return modules.map((c) => ({ ...c, run: (args: Args, who: Invocation) => c.handle(args, who, all) }));
}
