/** `incidents:` in deckhand.yaml: where incident cards go, who is invited and paged, what freezes. */
import { z } from 'zod';
import { parseDuration } from './duration.ts';
import { closest } from './suggest.ts';

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'use letters, digits, ".", "_" and "-" only (e.g. "incidents")');

const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration; write e.g. 30m or 2h` });
    return z.NEVER;
  }
  return ms;
});

/** Reports a problem at a YAML path (as extensions.ts's ConfigIssue; not imported, to keep sections.ts free of a cycle). */
type ConfigIssue = (path: (string | number)[], message: string) => void;

/** `unknown channel "incidnets"; did you mean "incidents"?`, or the names there are. */
function unknown(kind: string, name: string, known: readonly string[], where: string): string {
  const guess = closest(name, known);
  if (guess) return `unknown ${kind} "${name}"; did you mean "${guess}"?`;
  return `unknown ${kind} "${name}"; add it under ${where} (${known.length ? known.join(', ') : 'none is defined'})`;
}

/** The `incidents:` section. */
export const incidentsSchema = z.strictObject({
  /** The channel (a name under `channels`) incident cards are posted to. */
  channel: id,
  /** The on-call schedule whose person is invited to each new incident (a name under `oncall`). */
  schedule: id.optional(),
  /** The escalation policy that pages while an incident is unacknowledged (a name under `oncall`). */
  escalation: id.optional(),
  /** Deploys this long before an alert are listed on its card, with a rollback button. */
  rollbackWindow: duration.default(2 * 3600_000),
  /** Severity given to alerts that carry none (1 is the most severe). */
  defaultSeverity: z.number().int().min(1).max(5).default(3),
  /** Incidents at this severity or worse freeze deploys to their environments until resolved. */
  freezeSeverity: z.number().int().min(1).max(5).optional(),
  /** Roles whose holders may deploy through an incident freeze with `--break-glass`. */
  breakGlassRoles: z.array(id).default([]),
});

/** A validated `incidents:` section (durations in milliseconds). */
export type IncidentsConfig = z.output<typeof incidentsSchema>;

/** The incidents channel is a configured channel; its roles exist. */
export function checkIncidents(
  config: { incidents?: IncidentsConfig; channels: Record<string, unknown>; roles: Record<string, unknown> },
  issue: ConfigIssue,
): void {
  const section = config.incidents;
  if (!section) return;
  const channels = Object.keys(config.channels);
  if (!(section.channel in config.channels))
    issue(['incidents', 'channel'], unknown('channel', section.channel, channels, 'channels'));
  section.breakGlassRoles.forEach((r, i) => {
    if (!(r in config.roles))
      issue(['incidents', 'breakGlassRoles', i], unknown('role', r, Object.keys(config.roles), 'roles'));
  });
}

/**
 * `incidents.schedule` and `incidents.escalation` name a schedule and a policy that exist. Called
 * with the names the `oncall:` section defines (the assembly wires it where that section is read).
 */
export function checkIncidentOnCall(
  section: IncidentsConfig | undefined,
  known: { schedules: readonly string[]; policies: readonly string[] },
  issue: ConfigIssue,
): void {
  if (section?.schedule && !known.schedules.includes(section.schedule))
    issue(['incidents', 'schedule'], unknown('schedule', section.schedule, known.schedules, 'oncall'));
  if (section?.escalation && !known.policies.includes(section.escalation))
    issue(
      ['incidents', 'escalation'],
      unknown('escalation policy', section.escalation, known.policies, 'oncall'),
    );
}
