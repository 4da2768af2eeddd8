/** Checks `runbooks:` against the rest of the config: roles, environments, pipelines, arguments, templates. */
import type { ConfigExtensions, ConfigIssue } from './extensions.ts';
import {
  placeholder,
  type RunbookAction,
  type RunbookConfig,
  type RunbooksConfig,
  reservedRunbookNames,
} from './runbooks.ts';
import type { Config } from './sections.ts';
import { closest } from './suggest.ts';

type Path = (string | number)[];
type Unknown = (kind: string, name: string, known: readonly string[], where?: string) => string;

/** The command names the config may refer to, with the runbooks as `/ops` commands (`ops restart`). */
export function withRunbookCommands(
  ext: ConfigExtensions['commands'],
  runbooks: RunbooksConfig,
): ConfigExtensions['commands'] {
  const names = Object.keys(runbooks);
  if (!ext || names.length === 0) return ext;
  const changing = names.filter((n) => touchesEnvironment(runbooks[n] as RunbookConfig));
  return {
    ...ext,
    names: [...new Set([...ext.names, ...names])],
    changing: [...new Set([...ext.changing, ...changing])],
    families: { ...ext.families, ops: [...new Set([...(ext.families?.ops ?? ['help']), ...names])] },
  };
}

/** Whether a runbook changes an environment (a fixed one, or its `environment` argument). */
export const touchesEnvironment = (r: RunbookConfig) =>
  r.environment !== undefined || r.args.some((a) => a.name === 'environment');

/** The argument names a template refers to. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(placeholder)].map((m) => m[1] as string);
}

/** Every template of an action, with its path and whether it must be one whole `{{arg}}` or a literal. */
function templates(a: RunbookAction): { at: Path; text: string; whole: boolean }[] {
  const out: { at: Path; text: string; whole: boolean }[] = [];
  if (a.command) {
    a.command.argv.forEach((text, i) => {
      out.push({ at: ['command', 'argv', i], text, whole: true });
    });
    for (const [k, text] of Object.entries(a.command.env))
      out.push({ at: ['command', 'env', k], text, whole: true });
  }
  if (a.http) {
    out.push({ at: ['http', 'url'], text: a.http.url, whole: false });
    if (a.http.body !== undefined) out.push({ at: ['http', 'body'], text: a.http.body, whole: false });
  }
  return out;
}

export function checkRunbooks(
  config: Config,
  issue: ConfigIssue,
  unknown: Unknown,
  others: ConfigExtensions['commands'] = undefined,
): void {
  // Grants, confirmations and approvals name commands by name alone: a runbook may not share one.
  const taken = Object.entries(others?.families ?? {}).flatMap(([root, names]) =>
    root === 'ops' ? [] : names.map((n) => [n, root] as const),
  );
  const roles = Object.keys(config.roles);
  const environments = config.environments.map((e) => e.name);
  const pipelines = Object.keys(config.pipelines);
  for (const [name, r] of Object.entries(config.runbooks)) {
    const at = (...rest: Path): Path => ['runbooks', name, ...rest];
    const clash = taken.find(([n]) => n === name);
    if (reservedRunbookNames.includes(name))
      issue(at(), `"${name}" is a command every family has; name the runbook something else`);
    else if (clash)
      issue(
        at(),
        `"${name}" is already \`/${clash[1]} ${name}\`, and grants, confirmations and approvals name commands by name; name the runbook something else`,
      );
    r.roles.forEach((role, i) => {
      if (!roles.includes(role)) issue(at('roles', i), unknown('role', role, roles, 'roles'));
    });
    r.approvals?.roles.forEach((role, i) => {
      if (!roles.includes(role)) issue(at('approvals', 'roles', i), unknown('role', role, roles, 'roles'));
    });
    if (r.approvals && !r.approvals.channel && !config.approvals.channel)
      issue(at('approvals'), 'set `channel:` here or `approvals.channel` for the requests');
    if (r.approvals?.channel && !(r.approvals.channel in config.channels))
      issue(
        at('approvals', 'channel'),
        unknown('channel', r.approvals.channel, Object.keys(config.channels)),
      );
    if (r.environment && !environments.includes(r.environment))
      issue(at('environment'), unknown('environment', r.environment, environments, 'environments'));
    // A fixed environment is an argument too (`{{environment}}`), always that value.
    const names = [...r.args.map((a) => a.name), ...(r.environment ? ['environment'] : [])];
    const seen = new Set<string>();
    r.args.forEach((a, i) => {
      if (seen.has(a.name)) issue(at('args', i, 'name'), `argument "${a.name}" is listed twice`);
      seen.add(a.name);
      if (a.values && a.pattern) issue(at('args', i), 'give `values:` or `pattern:`, not both');
      if (a.pattern) {
        try {
          new RegExp(a.pattern);
        } catch (error) {
          issue(at('args', i, 'pattern'), `not a regular expression: ${(error as Error).message}`);
        }
      }
      if (!a.values && !a.pattern && a.name !== 'environment')
        issue(at('args', i), 'say what it accepts: `values: [a, b]` or `pattern: "[a-z0-9-]+"`');
      if (a.name === 'environment')
        a.values?.forEach((v, j) => {
          if (!environments.includes(v))
            issue(at('args', i, 'values', j), unknown('environment', v, environments));
        });
      const next = r.args[i + 1];
      if (a.optional && next && !next.optional)
        issue(at('args', i, 'optional'), 'only the last arguments may be optional');
    });
    if (r.environment && r.args.some((a) => a.name === 'environment'))
      issue(at('environment'), 'give a fixed `environment:` or an `environment` argument, not both');
    r.steps.forEach((step, i) => {
      const actions: [Path, RunbookAction][] = [[at('steps', i), step]];
      if (step.check) actions.push([at('steps', i, 'check'), step.check]);
      if (step.undo) actions.push([at('steps', i, 'undo'), step.undo]);
      for (const [where, action] of actions) {
        if (action.pipeline && !pipelines.includes(action.pipeline.name))
          issue(
            [...where, 'pipeline', 'name'],
            unknown('pipeline', action.pipeline.name, pipelines, 'pipelines'),
          );
        for (const t of templates(action)) {
          const used = placeholders(t.text);
          for (const u of used) {
            if (!names.includes(u)) {
              const guess = closest(u, names);
              issue(
                [...where, ...t.at],
                `{{${u}}} is not an argument of this runbook${guess ? `; did you mean {{${guess}}}?` : names.length ? ` (arguments: ${names.join(', ')})` : ''}`,
              );
            }
          }
          const whole = t.text.replace(placeholder, '') === '' && used.length === 1;
          if (t.whole && used.length > 0 && !whole)
            issue(
              [...where, ...t.at],
              `an argument fills a whole item, never part of one: write "{{${used[0]}}}" alone (values never pass through a shell)`,
            );
        }
      }
    });
  }
}
