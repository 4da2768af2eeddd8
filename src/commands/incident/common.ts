/** What the `/incident` commands share: the service (or how to get one), and which incident. */
import type { Args, FlagSpec, Invocation } from '../../core/commands/types.ts';
import { UserError } from '../../core/errors.ts';
import type { IncidentService } from '../../core/incidents/service.ts';
import type { Incident } from '../../core/incidents/types.ts';

/** What an `/incident` handler needs. */
export interface IncidentDeps {
  incidents?: IncidentService;
}

/** The service, or a refusal saying how to turn incidents on. */
export function service(deps: IncidentDeps): IncidentService {
  if (!deps.incidents)
    throw new UserError(
      'Incidents are not set up here: add an `incidents:` section with `channel:` (a name under `channels`) to the config.',
    );
  return deps.incidents;
}

/** `--id N`: which incident, when the command is not typed in its channel and several are open. */
export const idFlag: FlagSpec = {
  name: 'id',
  type: 'count',
  value: 'N',
  description: 'the incident number (default: this channel’s incident, or the only open one)',
};

/** The incident the command is about: its channel's, `--id`'s, or the only open one. */
export function target(args: Args, who: Invocation, deps: IncidentDeps): Promise<Incident> {
  return service(deps).which(
    { platform: who.platform, channel: who.channel },
    args.id ? Number(args.id) : undefined,
  );
}
