/** Checks across the sections of a validated config: every name it uses is defined somewhere. */
import { checkDeployments } from './deployments.ts';
import type { ConfigExtensions, ConfigIssue } from './extensions.ts';
import { checkIncidentOnCall, checkIncidents } from './incidents.ts';
import { checkOnCall } from './oncall.ts';
import { checkRunbooks, withRunbookCommands } from './runbook-checks.ts';
import type { Config } from './sections.ts';
import { closest } from './suggest.ts';

/** `unknown role "admn"; did you mean "admin"?`, or the names there are. */
export function unknown(kind: string, name: string, known: readonly string[], where?: string): string {
  const guess = closest(name, known);
  if (guess) return `unknown ${kind} "${name}"; did you mean "${guess}"?`;
  const plural = kind.endsWith('y') ? `${kind.slice(0, -1)}ies` : `${kind}s`;
  const list = known.length ? `${plural}: ${known.join(', ')}` : `none is defined`;
  return `unknown ${kind} "${name}"${where ? `; add it under ${where}` : ''} (${list})`;
}

type Ext = ConfigExtensions['commands'];
type Path = (string | number)[];

/** The problem with a command as a grant or a rule names it (`deploy`, `ci deploy`, `ci *`, `*`), if any. */
function commandProblem(written: string, commands: Ext, only?: readonly string[]): string | undefined {
  if (!commands || written === '*') return undefined;
  const families = commands.families ?? {};
  const [first, second, ...rest] = written.trim().split(/\s+/) as [string, string?, ...string[]];
  if (rest.length > 0) return `"${written}" is not a command; write "deploy", "ci deploy", "ci *" or "*"`;
  if (second === undefined) {
    const known = only ?? commands.names;
    if (known.includes(first)) return undefined;
    if (only && commands.names.includes(first))
      return `"${first}" does not change an environment; commands that do: ${only.join(', ')}`;
    return unknown('command', first, known);
  }
  const family = families[first];
  if (!family) return unknown('command family', first, Object.keys(families));
  if (second === '*' || family.includes(second)) return undefined;
  return unknown(`/${first} command`, second, family);
}

/** Cross-references between sections; `issue` reports each problem at its YAML path. */
export function checkReferences(config: Config, issue: ConfigIssue, given: ConfigExtensions): void {
  // Runbooks are `/ops` commands: grants, rules and confirmations may name them.
  const ext = { ...given, commands: withRunbookCommands(given.commands, config.runbooks) };
  const ci = ext.ci ?? {};
  const roles = Object.keys(config.roles);
  const channels = Object.keys(config.channels);
  const environments = config.environments.map((e) => e.name);
  const role = (at: (string | number)[], name: string) => {
    if (!(name in config.roles)) issue(at, unknown('role', name, roles, 'roles'));
  };
  const channel = (at: (string | number)[], name: string) => {
    if (!(name in config.channels)) issue(at, unknown('channel', name, channels, 'channels'));
  };
  const environment = (at: (string | number)[], name: string) => {
    if (!environments.includes(name)) issue(at, unknown('environment', name, environments, 'environments'));
  };
  const each = (names: readonly string[] | undefined, at: Path, check: (at: Path, name: string) => void) => {
    names?.forEach((name, j) => {
      check([...at, j], name);
    });
  };
  const command = (at: (string | number)[], name: string, only?: readonly string[]) => {
    const problem = commandProblem(name, ext.commands, only);
    if (problem) issue(at, problem);
  };

  for (const [name, p] of Object.entries(config.pipelines)) {
    if (!config.repositories[p.repository])
      issue(
        ['pipelines', name, 'repository'],
        unknown('repository', p.repository, Object.keys(config.repositories), 'repositories'),
      );
    if (ext.ci && !(p.provider in ci))
      issue(['pipelines', name, 'provider'], unknown('provider', p.provider, Object.keys(ci)));
  }
  for (const [name, c] of Object.entries(config.commands)) {
    if (c && !config.pipelines[c.pipeline])
      issue(
        ['commands', name, 'pipeline'],
        unknown('pipeline', c.pipeline, Object.keys(config.pipelines), 'pipelines'),
      );
  }
  config.notifications.forEach((r, i) => {
    each(r.channels, ['notifications', i, 'channels'], channel);
    each(r.environment, ['notifications', i, 'environment'], environment);
  });
  for (const [name, r] of Object.entries(config.roles)) {
    r.allow.forEach((g, i) => {
      each(g.commands, ['roles', name, 'allow', i, 'commands'], command);
      each(g.environments, ['roles', name, 'allow', i, 'environments'], environment);
    });
  }
  config.policy.channels.forEach((r, i) => {
    each(r.commands, ['policy', 'channels', i, 'commands'], command);
    each(r.environments, ['policy', 'channels', i, 'environments'], environment);
    each(r.channels, ['policy', 'channels', i, 'channels'], channel);
  });
  checkPeople(config, issue, role);
  const seen = new Set<string>();
  config.environments.forEach((e, i) => {
    if (seen.has(e.name)) issue(['environments', i, 'name'], `environment "${e.name}" is listed twice`);
    seen.add(e.name);
    each(e.approvals?.roles, ['environments', i, 'approvals', 'roles'], role);
    e.approvals?.commands.forEach((c, j) => {
      const changing = ext.commands?.changing;
      if (changing) command(['environments', i, 'approvals', 'commands', j], c, changing);
    });
    const where = e.approvals?.channel ?? config.approvals.channel;
    if (e.approvals && !where)
      issue(['environments', i, 'approvals'], 'set `channel:` here or `approvals.channel` for the requests');
    else if (e.approvals?.channel) channel(['environments', i, 'approvals', 'channel'], e.approvals.channel);
  });
  config.freezes.forEach((f, i) => {
    each(f.breakGlass.roles, ['freezes', i, 'breakGlass', 'roles'], role);
    each(f.environments, ['freezes', i, 'environments'], environment);
    const changing = ext.commands?.changing;
    f.commands.forEach((c, j) => {
      if (changing && c !== '*') command(['freezes', i, 'commands', j], c, changing);
    });
  });
  config.confirmations.commands.forEach((c, i) => {
    const names = ext.commands?.names;
    if (names && !names.includes(c)) issue(['confirmations', 'commands', i], unknown('command', c, names));
    else if (ext.commands?.reading?.includes(c))
      issue(['confirmations', 'commands', i], `"${c}" only reads: nothing holds it to confirm`);
  });
  const anchor = config.audit.checkpoints.channel;
  if (anchor) channel(['audit', 'checkpoints', 'channel'], anchor);
  if (config.approvals.channel) channel(['approvals', 'channel'], config.approvals.channel);
  checkDeployments(config.deployments, issue, { environment, role, channel });
  checkSomeoneMay(config, issue, ext);
  checkRunbooks(config, issue, unknown, given.commands);
  checkIncidents(config, issue);
  checkIncidentOnCall(
    config.incidents,
    { schedules: Object.keys(config.oncall.schedules), policies: Object.keys(config.oncall.escalation) },
    issue,
  );
  checkOnCall(config, issue);
}

/** Each person once, with known roles; one chat identity belongs to one person. */
function checkPeople(
  config: Config,
  issue: ConfigIssue,
  role: (at: (string | number)[], name: string) => void,
): void {
  const ids = new Set<string>();
  const owners = new Map<string, string>();
  config.people.forEach((p, i) => {
    if (ids.has(p.id)) issue(['people', i, 'id'], `person "${p.id}" is listed twice`);
    ids.add(p.id);
    p.roles.forEach((r, j) => {
      role(['people', i, 'roles', j], r);
    });
    for (const [platform, userId] of Object.entries(p.chat)) {
      const key = `${platform}\u0000${userId}`;
      const owner = owners.get(key);
      if (owner !== undefined && owner !== p.id)
        issue(
          ['people', i, 'chat', platform],
          `${platform} user "${userId}" is given to both ${owner} and ${p.id}; one chat identity is one person`,
        );
      else owners.set(key, p.id);
    }
  });
}

/** Every string in a value (a module's section), to find the roles a platform's groups hand out. */
const stringsIn = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : value && typeof value === 'object'
      ? Object.values(value).flatMap(stringsIn)
      : [];

/**
 * Someone can run something: grants and everyone-may-run are not both set, and when roles grant
 * commands, somebody holds one of those roles (directly, or through a chat platform's groups).
 */
function checkSomeoneMay(config: Config, issue: ConfigIssue, ext: ConfigExtensions): void {
  const granting = Object.entries(config.roles)
    .filter(([, r]) => r.allow.length > 0)
    .map(([name]) => name);
  if (config.policy.allowEveryone) {
    if (granting.length > 0)
      issue(
        ['policy', 'allowEveryone'],
        `everyone may run everything, so the grants of ${granting.join(', ')} decide nothing; remove allowEveryone (or the grants)`,
      );
    return;
  }
  if (granting.length === 0) return;
  const held = config.people.some((p) => p.roles.some((r) => granting.includes(r)));
  const sections = config as unknown as Record<string, unknown>;
  const byGroups = Object.keys(ext.sections ?? {})
    .flatMap((name) => stringsIn(sections[name]))
    .some((s) => granting.includes(s));
  if (!held && !byGroups)
    issue(
      ['people'],
      `nobody could run a command: no person has a role that grants one (${granting.join(', ')}); give someone one of them under people`,
    );
}
