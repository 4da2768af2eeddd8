/**
 * Deploys frozen by incidents: while an incident at `incidents.freezeSeverity` or worse is open,
 * deploys and promotions to its environments are refused (rollbacks, locks and runbooks are not:
 * they are how an incident gets fixed). Kept in memory from the open incidents, as the gates ask
 * synchronously; refreshed whenever this process changes an incident and at each escalation check.
 */
import type { FreezeHit } from '../gates/requirements.ts';
import { severityLabel } from './severity.ts';
import type { Incident } from './types.ts';

/** What an incident freeze stops. */
const frozenCommands = new Set(['deploy', 'promote']);

/** The incident freezes in force, as the gates ask for them. */
export class IncidentFreezes {
  private open = new Map<number, Pick<Incident, 'id' | 'title' | 'severity' | 'environments'>>();

  constructor(private readonly o: { severity?: number; breakGlassRoles: string[] }) {}

  /** Takes an incident's new state. */
  track(incident: Incident): void {
    const freezes = this.o.severity !== undefined && incident.severity <= this.o.severity;
    if (freezes && incident.status !== 'resolved') this.open.set(incident.id, incident);
    else this.open.delete(incident.id);
  }

  /** Takes the open incidents as the database has them. */
  replace(incidents: Incident[]): void {
    this.open.clear();
    for (const i of incidents) this.track(i);
  }

  /** The incident freeze in force for a command to an environment, if any. */
  at(environment: string, command: string): FreezeHit | undefined {
    if (!frozenCommands.has(command)) return undefined;
    for (const i of this.open.values()) {
      if (!i.environments.includes(environment)) continue;
      const glass = this.o.breakGlassRoles.length
        ? ''
        : ' Nobody can break it: list roles under `incidents.breakGlassRoles` to allow a break-glass deploy.';
      return {
        name: `incident-${i.id}`,
        sentence: `Deploys to \`${environment}\` are frozen while incident #${i.id} (${severityLabel(i.severity)}: ${i.title}) is open; \`/ci rollback\` is not.${glass}`,
        breakGlassRoles: this.o.breakGlassRoles,
      };
    }
    return undefined;
  }
}
