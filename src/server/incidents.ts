/** Incidents in the assembly: the service, the escalation worker, the alert intake and its routes. */
import type { FastifyInstance } from 'fastify';
import { alertRoutes } from '../alerts/generic/routes.ts';
import type { IncidentsConfig } from '../config/incidents.ts';
import { EscalationWorker } from '../core/incidents/escalation.ts';
import { IncidentService, type IncidentServiceOptions } from '../core/incidents/service.ts';
import type { AlertGroup, IncidentStore } from '../core/incidents/types.ts';
import type { Intake } from '../core/intake.ts';
import type { ModuleLogger } from '../modules/common.ts';

export { alertTokens } from '../alerts/generic/routes.ts';

/** What the assembly starts, stops and serves for incidents. */
export interface IncidentParts {
  service: IncidentService;
  escalation: EscalationWorker;
  /** Serves the alert webhooks whose tokens are set. */
  register(app: FastifyInstance): Promise<void>;
}

/** Nothing without an `incidents:` section; else the service, with both alert sources handled by it. */
export function createIncidents(
  config: IncidentsConfig | undefined,
  o: Omit<IncidentServiceOptions, 'config' | 'store' | 'logger'> & {
    store: IncidentStore;
    intake: Pick<Intake, 'record' | 'handle'>;
    env: Record<string, string | undefined>;
    logger: ModuleLogger;
  },
): IncidentParts | undefined {
  if (!config) return undefined;
  const service = new IncidentService({ ...o, config, logger: o.logger });
  const escalation = new EscalationWorker({
    service,
    store: o.store,
    oncall: o.oncall,
    policy: config.escalation,
    clock: o.clock,
    logger: o.logger,
  });
  for (const source of ['alertmanager', 'alerts'])
    o.intake.handle(source, (data) => service.alert(data as AlertGroup));
  return {
    service,
    escalation,
    async register(app) {
      for (const route of alertRoutes(o.env, o.intake, o.logger)) await app.register(route);
    },
  };
}
