/** Operations in the assembly: scanners' findings, runbooks, and the gates deploys and runbooks pass. */
import type { FastifyInstance } from 'fastify';
import { sarifWebhook } from '../alerts/sarif/index.ts';
import { snykWebhook } from '../alerts/snyk/index.ts';
import type { LoadedConfig } from '../config/load.ts';
import type { Catalog } from '../core/catalog.ts';
import type { Gating } from '../core/core.ts';
import { deployOrder } from '../core/deployments.ts';
import type { Intake } from '../core/intake.ts';
import type { Notifier } from '../core/notify/notifier.ts';
import { routeChannels } from '../core/notify/routing.ts';
import type { ChatAddress, Clock } from '../core/ports.ts';
import { withRunbookGates } from '../core/runbooks/gating.ts';
import { securityScanSource } from '../core/security/findings.ts';
import { SecurityFindings } from '../core/security/service.ts';
import type { Stores } from '../core/store.ts';
import type { ModuleLogger } from '../modules/common.ts';
import { gatingFromConfig } from './gating.ts';

type Addresses = (channel: string) => (ChatAddress & { platform: string })[];

/** Scanners' findings (SARIF uploads and runs, Snyk): recorded under one source, each told once. */
export function handleFindings(o: {
  config: LoadedConfig;
  stores: Pick<Stores, 'dedupe'>;
  clock: Clock;
  addresses: Addresses;
  notifier: Pick<Notifier, 'notice'>;
  intake: Pick<Intake, 'handle'>;
}): SecurityFindings {
  const security = routeChannels(o.config.notifications, { kind: 'security' });
  const findings = new SecurityFindings({
    ...o.config.security,
    dedupe: o.stores.dedupe,
    clock: o.clock,
    targets: () => security.flatMap(o.addresses),
    post: (to, message, key) => o.notifier.notice(to, message, key),
  });
  o.intake.handle(securityScanSource, (data) => findings.handle(data));
  return findings;
}

/** Serves `POST /webhooks/sarif` and `POST /webhooks/snyk`; each records before it answers. */
export async function registerScanners(
  app: FastifyInstance,
  o: { config: LoadedConfig; env: Record<string, string | undefined>; intake: Intake; logger: ModuleLogger },
): Promise<void> {
  const scanners = { intake: o.intake, logger: o.logger };
  const bodyLimit = o.config.security.sarifBodyLimit;
  await app.register(sarifWebhook({ ...scanners, token: o.env.SARIF_WEBHOOK_TOKEN, bodyLimit }));
  await app.register(snykWebhook({ ...scanners, secret: o.env.SNYK_WEBHOOK_SECRET }));
}

/**
 * The gates for a config: its freezes and approvals, an open incident's freeze, the runbooks' own
 * gates, a promote gated as a deploy, and the configured order judging both. Runbooks and
 * `deployments` are read at start (they need a restart, as the reload log says).
 */
export function operationsGating(
  started: LoadedConfig,
  o: { catalog: Catalog; stores: Pick<Stores, 'deployments'>; onApproval?: Gating['onApproval'] } & Pick<
    Parameters<typeof gatingFromConfig>[1],
    'addresses' | 'incidentFreeze'
  >,
): (config: LoadedConfig) => Gating {
  const order = deployOrder({
    after: started.deployments.after,
    breakGlassRoles: started.deployments.breakGlass.roles,
    deployments: o.stores.deployments,
    catalog: o.catalog,
  });
  return (config) => {
    const base = gatingFromConfig(config, {
      catalog: o.catalog,
      deployments: o.stores.deployments,
      addresses: o.addresses,
      incidentFreeze: o.incidentFreeze,
    });
    const g = withRunbookGates(base, started.runbooks);
    return { ...g, onApproval: o.onApproval, config: { ...g.config, sameAs: { promote: 'deploy' }, order } };
  };
}
