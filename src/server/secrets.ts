/** Every secret value this process holds, so the redactor can mask it wherever it appears. */
import type { LoadedConfig } from '../config/load.ts';
import type { ChatPlatformModule, DeckhandModules } from '../modules/index.ts';

/** Secrets deckhand itself reads, whatever the modules. */
const own = ['VAULT_TOKEN', 'DECKHAND_AUDIT_KEY', 'SARIF_WEBHOOK_TOKEN', 'SNYK_WEBHOOK_SECRET'];

/** The config's secrets, every module's conventional variables, and the secrets in module sections. */
export function secretValues(
  config: LoadedConfig,
  env: Record<string, string | undefined>,
  modules: Pick<DeckhandModules, 'chat' | 'ci'>,
): string[] {
  const chat = modules.chat as readonly ChatPlatformModule<unknown>[];
  const variables = [
    ...own,
    ...chat.flatMap((m) => m.secretVariables ?? []),
    ...modules.ci.flatMap((m) => m.secretVariables ?? []),
  ];
  return [
    ...config.secrets,
    ...variables.map((name) => env[name]),
    ...chat.flatMap((m) => m.secrets?.(config.sections[m.name]) ?? []),
  ].filter((v): v is string => typeof v === 'string' && v.length > 0);
}
