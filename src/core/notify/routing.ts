/** Routing rules: which channels hear about which runs. */
import type { RunKind, RunStatus } from '../pipeline-events.ts';

/** What a notification is about: a run's kind, or a security alert. */
export type NoticeKind = RunKind | 'security';

/** A rule as configured; every criterion given must match. */
export interface Route {
  kind?: NoticeKind[];
  status?: ('started' | 'succeeded' | 'failed' | 'cancelled')[];
  branch?: string[];
  environment?: string[];
  channels: string[];
}

/** The facts of a run that rules match on. */
export interface RouteFacts {
  kind: NoticeKind;
  /** A run's status; alerts have none. */
  status?: RunStatus;
  branch?: string;
  environment?: string;
}

/** `release/*` matches `release/1.0`; `*` does not cross `/`, `**` does. */
export function globMatch(pattern: string, value: string): boolean {
  const source = pattern
    .split(/(\*\*|\*)/)
    .map((part) =>
      part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`).test(value);
}

const routeStatus = (status: RunStatus) => (status === 'queued' || status === 'running' ? 'started' : status);

export function matches(route: Route, facts: RouteFacts): boolean {
  if (route.kind && !route.kind.includes(facts.kind)) return false;
  if (route.status && !(facts.status && route.status.includes(routeStatus(facts.status)))) return false;
  if (route.branch && !(facts.branch && route.branch.some((b) => globMatch(b, facts.branch as string))))
    return false;
  if (route.environment && !(facts.environment && route.environment.includes(facts.environment)))
    return false;
  return true;
}

/** Channel ids for these facts, in rule order, without repeats. */
export function routeChannels(routes: readonly Route[], facts: RouteFacts): string[] {
  const channels = new Set<string>();
  for (const route of routes) {
    if (matches(route, facts)) for (const c of route.channels) channels.add(c);
  }
  return [...channels];
}
