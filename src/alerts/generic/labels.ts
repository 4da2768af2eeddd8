/** Severity, environments and service read from alert labels, the same way for every sender. */
import { parseSeverity } from '../../core/incidents/severity.ts';

/** `severity` / `priority`, `environment` / `env`, `service` / `job` labels. */
export function alertGroupFields(
  common: Record<string, string>,
  each: Record<string, string>[] = [],
): { severity?: number; environments: string[]; service?: string } {
  const all = [common, ...each];
  const severities = all
    .map((l) => parseSeverity(l.severity ?? l.priority))
    .filter((s): s is number => s !== undefined);
  const environments = [
    ...new Set(all.map((l) => l.environment ?? l.env).filter((e): e is string => Boolean(e))),
  ];
  return {
    severity: severities.length ? Math.min(...severities) : undefined,
    environments,
    service: common.service ?? common.job ?? each[0]?.service,
  };
}
