/** `deckhand audit`: print recent audit entries, newest first. */
import type { LoadedConfig } from '../config/load.ts';
import { builtinModules } from '../modules/builtin.ts';
import { openStore } from '../modules/index.ts';

export async function runAudit(config: LoadedConfig, limit: number, json: boolean): Promise<void> {
  const store = await openStore(config, builtinModules);
  try {
    const entries = await store.stores.audit.recent(limit);
    for (const e of entries) {
      if (json) {
        console.log(JSON.stringify(e));
        continue;
      }
      const who = e.actor ?? (e.platformUser ? `${e.platform}:${e.platformUser}` : '-');
      const where = e.channel ? ` #${e.channel}` : '';
      const what = e.text ? ` ${JSON.stringify(e.text)}` : '';
      const outcome = (e.outcome ?? '').replace(/\s*\n\s*/g, ' / ');
      console.log(
        `${e.id}\t${e.at.toISOString()}\t${e.kind}\t${who}${where}${what}\t${e.decision}\t${outcome}`,
      );
    }
    if (entries.length === 0) console.log('The audit log is empty.');
  } finally {
    await store.close();
  }
}
