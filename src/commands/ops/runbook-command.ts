/** One `/ops` command per configured runbook: its grammar, help and gates come from the config. */
import type { RunbookConfig } from '../../config/runbooks.ts';
import { type ArgSpec, type Command, defineCommand, type FlagSpec } from '../../core/commands/types.ts';
import { UserError } from '../../core/errors.ts';
import type { CommandDeps } from '../../core/family.ts';
import { argTypeName } from './arg-types.ts';

const breakGlass: FlagSpec = {
  name: 'break-glass',
  type: 'text',
  value: 'REASON',
  description: 'during a freeze: why it cannot wait (asks for a break-glass approval)',
};

const what = (a: RunbookConfig['args'][number]) =>
  a.description ||
  (a.values ? `one of ${a.values.join(', ')}` : a.pattern ? `matching ${a.pattern}` : a.name);

/** The command that runs a runbook through the executor. */
export function runbookCommand(name: string, r: RunbookConfig): Command<CommandDeps> {
  const args: ArgSpec[] = r.args.map((a) => ({
    name: a.name,
    type: argTypeName(name, a.name),
    required: !a.optional,
    description: what(a),
  }));
  if (r.environment)
    args.push({
      name: 'environment',
      type: argTypeName(name, 'environment'),
      default: r.environment,
      description: `always ${r.environment}`,
    });
  const touches = r.environment !== undefined || r.args.some((a) => a.name === 'environment');
  const example = [
    name,
    ...r.args.filter((a) => !a.optional).map((a) => a.values?.[0] ?? `<${a.name}>`),
  ].join(' ');
  return defineCommand<CommandDeps>({
    name,
    summary: r.summary,
    args,
    flags: touches ? [breakGlass] : [],
    examples: r.examples.length ? r.examples : [example],
    touches: touches ? { environment: 'environment' } : undefined,
    describe: (values) => {
      const shown = Object.entries(values)
        .filter(([k, v]) => k !== 'break-glass' && v !== undefined)
        .map(([, v]) => `\`${v}\``);
      return `run the runbook \`${name}\`${shown.length ? ` with ${shown.join(' ')}` : ''}`;
    },
    pending: (_values, who) => `Running the runbook \`${name}\` for ${who}…`,
    async handle(values, who, deps) {
      if (!deps.runbooks) throw new UserError('Runbooks are not available in this deckhand.');
      const { 'break-glass': _reason, ...rest } = values;
      return deps.runbooks.start(name, rest, who);
    },
  });
}
