/** The command families a process runs, bound to the core's services: lookups, parsing, checks. */
import { UserError } from '../errors.ts';
import type {
  ArgType,
  ButtonSpec,
  CommandDeps,
  CommandFamily,
  CommandServices,
  FamilyInfo,
} from '../family.ts';
import type { Preview } from '../store.ts';
import { coreArgTypes } from './arg-types.ts';
import { help } from './help.ts';
import { type CheckArg, parseArgs } from './parse.ts';
import type { ArgSpec, Args, Command, Invocation, Outcome } from './types.ts';

/** A command bound to its family and the core's services. */
export interface BoundCommand extends Omit<Command<CommandDeps>, 'handle' | 'preview'> {
  /** The family's root word. */
  family: string;
  run(args: Args, who: Invocation): Promise<Outcome>;
  preview?(args: Args): Promise<Preview | undefined>;
}

/** Verbs the core's gates answer (confirm, cancel, approve and reject buttons). */
export const reservedVerbs = new Set(['confirm', 'abandon', 'approve', 'reject']);

interface Bound {
  info: FamilyInfo;
  commands: BoundCommand[];
  deps: CommandDeps;
  check: CheckArg;
}

const rootPattern = /^[a-z][a-z0-9-]{0,31}$/;

export class Families {
  private readonly bound = new Map<string, Bound>();
  private readonly verbs = new Map<string, { root: string; spec: ButtonSpec }>();
  readonly info: readonly FamilyInfo[];

  constructor(families: readonly CommandFamily[], services: CommandServices) {
    const infos: FamilyInfo[] = [];
    for (const family of families) {
      if (!rootPattern.test(family.root))
        throw new Error(`Command family root "${family.root}" must be a lowercase word like "ci".`);
      if (this.bound.has(family.root)) throw new Error(`Two command families use the root "${family.root}".`);
      const commands = family.commands.some((c) => c.name === 'help')
        ? family.commands
        : [...family.commands, help];
      const info: FamilyInfo = {
        root: family.root,
        summary: family.summary,
        commands,
        ...(family.defaultCommand ? { defaultCommand: family.defaultCommand } : {}),
        ...(family.fallbackCommand ? { fallbackCommand: family.fallbackCommand } : {}),
      };
      for (const named of [family.defaultCommand, family.fallbackCommand])
        if (named !== undefined && !commands.some((c) => c.name === named))
          throw new Error(
            `/${family.root} names "${named}" as its default or fallback command, but has no such command.`,
          );
      infos.push(info);
      const types = { ...coreArgTypes, ...family.argTypes };
      checkDeclarations(family.root, commands, types);
      for (const [verb, spec] of Object.entries(family.buttons ?? {})) {
        const other = reservedVerbs.has(verb) ? 'the core' : this.verbs.get(verb)?.root;
        if (other) throw new Error(`Button verb "${verb}" of /${family.root} is already used by ${other}.`);
        this.verbs.set(verb, { root: family.root, spec });
      }
      const deps: CommandDeps = { ...services, family: info, families: infos };
      const names = commands.map((c) => c.name);
      const context = { environments: [] as readonly string[], commands: names, services };
      const check: CheckArg = (spec, value) => {
        context.environments = services.catalog.environments.map((e) => e.name);
        return (types[spec.type] as ArgType).check(value, spec, context);
      };
      this.bound.set(family.root, {
        info,
        deps,
        check,
        commands: commands.map((c) => bind(c, family.root, deps)),
      });
    }
    this.info = infos;
  }

  get roots(): string[] {
    return [...this.bound.keys()];
  }

  /** The family a root word names. */
  family(root: string): FamilyInfo | undefined {
    return this.bound.get(root)?.info;
  }

  commands(root: string): readonly BoundCommand[] {
    return this.bound.get(root)?.commands ?? [];
  }

  command(root: string, name: string): BoundCommand | undefined {
    return this.commands(root).find((c) => c.name === name);
  }

  /** The handler of a button verb, with the dependencies of its family. */
  button(verb: string): { root: string; spec: ButtonSpec; deps: CommandDeps } | undefined {
    const found = this.verbs.get(verb);
    const bound = found && this.bound.get(found.root);
    return found && bound ? { ...found, deps: bound.deps } : undefined;
  }

  /** Validates a command's words (after the root and the name) against its declared arguments. */
  parseArgs(command: BoundCommand, words: readonly string[]): Args {
    const bound = this.bound.get(command.family) as Bound;
    const environments = bound.deps.catalog.environments.map((e) => e.name);
    return parseArgs(command, command.family, words, bound.check, environments);
  }
}

function bind(command: Command<CommandDeps>, root: string, deps: CommandDeps): BoundCommand {
  const { handle, preview, ...spec } = command;
  return {
    ...spec,
    family: root,
    run: (args, who) => handle(args, who, deps),
    ...(preview ? { preview: (args: Args) => preview(args, deps) } : {}),
  };
}

/** Every argument type used is declared, and `touches` names an argument the command has. */
function checkDeclarations(
  root: string,
  commands: readonly Command<CommandDeps>[],
  types: Readonly<Record<string, ArgType>>,
): void {
  const seen = new Set<string>();
  for (const command of commands) {
    if (seen.has(command.name)) throw new Error(`/${root} lists the command "${command.name}" twice.`);
    seen.add(command.name);
    const specs: ArgSpec[] = [...command.args, ...(command.flags ?? [])];
    for (const spec of specs) {
      if (!types[spec.type])
        throw new Error(
          `/${root} ${command.name}: argument "${spec.name}" has the unknown type "${spec.type}".`,
        );
    }
    const touched = command.touches?.environment;
    if (touched && command.readOnly)
      throw new Error(`/${root} ${command.name} cannot both be read-only and touch an environment.`);
    if (touched && !specs.some((s) => s.name === touched))
      throw new Error(
        `/${root} ${command.name} touches the environment in "${touched}", an argument it lacks.`,
      );
  }
}

/** Thrown for a line that names no known family. */
export const unknownRoot = (roots: readonly string[]) =>
  new UserError(
    `I only know ${roots.map((r) => `\`/${r}\``).join(' and ')} commands here. Try \`/${roots[0] ?? 'ci'} help\`.`,
  );
