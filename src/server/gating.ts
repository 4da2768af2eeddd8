/** The gate settings a config describes: confirmations, approvals per environment, freezes. */
import type { LoadedConfig } from '../config/load.ts';
import type { Catalog } from '../core/catalog.ts';
import type { Gating } from '../core/core.ts';
import { activeFreeze, freezeSentence } from '../core/freezes.ts';
import type { FreezeHit } from '../core/gates/requirements.ts';
import type { ChannelAddresses } from '../core/notify/notifier.ts';
import type { DeploymentStore } from '../core/store.ts';

export function gatingFromConfig(
  config: LoadedConfig,
  deps: {
    catalog: Catalog;
    deployments: DeploymentStore;
    addresses: ChannelAddresses;
    /** Deploys frozen while a severe incident is open (`incidents.freezeSeverity`). */
    incidentFreeze?: (environment: string, command: string) => FreezeHit | undefined;
  },
): Gating {
  const approvals = Object.fromEntries(
    config.environments.flatMap((e) =>
      e.approvals ? [[e.name, { ...e.approvals, expiryMs: e.approvals.expiry }] as const] : [],
    ),
  );
  return {
    config: {
      confirmCommands: config.confirmations.commands,
      protectedEnvironments: config.environments.filter((e) => e.protected).map((e) => e.name),
      confirmMs: config.confirmations.expiry,
      approvals,
      approvalsChannel: config.approvals.channel,
      approvalMs: config.approvals.expiry,
    },
    addresses: deps.addresses,
    freezeAt: (environment, command, now) => {
      const active = activeFreeze(config.freezes, { environment, command }, now);
      return active
        ? {
            name: active.window.name,
            sentence: freezeSentence(active),
            breakGlassRoles: active.window.breakGlass.roles,
          }
        : deps.incidentFreeze?.(environment, command);
    },
  };
}
