/** The CI systems a config uses, built from their modules. */
import type { LoadedConfig } from '../config/load.ts';
import type { CiSystem, CiSystemContext, CiSystemModule } from '../modules/index.ts';

/** Systems a pipeline runs on or `providers:` configures. */
export function usedSystems(config: LoadedConfig, modules: readonly CiSystemModule[]): CiSystemModule[] {
  const used = new Set<string>(Object.values(config.pipelines).map((p) => p.provider));
  for (const [name, settings] of Object.entries(config.providers)) if (settings) used.add(name);
  return modules.filter((m) => used.has(m.name));
}

/** One running system per module used, in the list's order. */
export async function createCiSystems(
  modules: readonly CiSystemModule[],
  context: CiSystemContext,
): Promise<{ module: CiSystemModule; system: CiSystem }[]> {
  const names = new Set<string>();
  const out: { module: CiSystemModule; system: CiSystem }[] = [];
  for (const module of usedSystems(context.config, modules)) {
    if (names.has(module.name)) throw new Error(`Two CI system modules are named "${module.name}".`);
    names.add(module.name);
    out.push({ module, system: await module.create(context) });
  }
  return out;
}
