/** `deckhand incident export <id>`: an incident's Markdown post-incident summary, from the database. */
import type { Command } from 'commander';
import type { LoadedConfig } from '../config/load.ts';
import { defaultConfigFile } from '../config/load.ts';
import { timelineMarkdown } from '../core/incidents/timeline.ts';
import { Directory } from '../core/people.ts';
import { builtinModules } from '../modules/builtin.ts';
import { openStore } from '../modules/index.ts';

/** Prints the summary; exit code 1 when there is no such incident. */
export async function runIncidentExport(config: LoadedConfig, id: number): Promise<number> {
  const store = await openStore(config, builtinModules);
  try {
    const { incidentStore, auditLog } = store.stores;
    const incident = await incidentStore.get(id);
    if (!incident) {
      console.error(`There is no incident #${id} in ${config.paths.sqlite}.`);
      return 1;
    }
    const directory = new Directory(config.people);
    const events = await incidentStore.events(id);
    console.log(await timelineMarkdown(incident, events, auditLog, new Date(), (p) => directory.mention(p)));
    return 0;
  } finally {
    await store.close();
  }
}

/** Adds `deckhand incident export` to the command line. */
export function incidentCommands(
  program: Command,
  loadConfig: (file: string) => Promise<LoadedConfig>,
): void {
  program
    .command('incident')
    .description('incidents: export one as a Markdown post-incident summary')
    .command('export')
    .description('print an incident’s timeline and summary as Markdown')
    .argument('<id>', 'the incident number')
    .option('-c, --config <file>', 'config file (default: $DECKHAND_CONFIG, else ./deckhand.yaml)')
    .action(async (id: string, opts: { config?: string }) => {
      const n = /^\d{1,12}$/.test(id) ? Number(id) : Number.NaN;
      if (!Number.isInteger(n)) {
        console.error(`"${id}" is not an incident number.`);
        process.exitCode = 2;
        return;
      }
      process.exitCode = await runIncidentExport(await loadConfig(opts.config ?? defaultConfigFile()), n);
    });
}
