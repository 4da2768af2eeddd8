/** The `deckhand` command line. */
import { Command } from 'commander';
import { ConfigError, defaultConfigFile, loadConfig as load } from '../config/load.ts';
import { policyNotices } from '../core/policy.ts';
import { builtinModules } from '../modules/builtin.ts';
import {
  type ChatPlatformModule,
  type CliContext,
  configExtensions,
  familyShapes,
} from '../modules/index.ts';
import { runAudit } from './audit.ts';
import { runAuditExport, runAuditVerify } from './audit-chain.ts';
import { incidentCommands } from './incident.ts';
import { runStart } from './start.ts';

const modules = builtinModules;
/** Reads a config with every module's sections. */
const loadConfig = (file: string, env: Record<string, string | undefined> = process.env) =>
  load(file, env, { extensions: configExtensions(modules) });

const program = new Command()
  .name('deckhand')
  .description('ChatOps server: run CI/CD from chat.')
  .showHelpAfterError();

const configOption = [
  '-c, --config <file>',
  'config file (default: $DECKHAND_CONFIG, else ./deckhand.yaml)',
] as const;

program
  .command('start')
  .description('start deckhand')
  .option(...configOption)
  .option('-p, --port <n>', 'port to listen on (overrides server.port)', parsePort)
  .action(async (opts: { config?: string; port?: number }) => {
    await runStart(await loadConfig(opts.config ?? defaultConfigFile()), opts.port);
  });

program
  .command('check-config')
  .description('validate a config file and explain every problem with its YAML path and line')
  .argument('[file]', 'config file')
  .option(...configOption)
  .action(async (file: string | undefined, opts: { config?: string }) => {
    const path = file ?? opts.config ?? defaultConfigFile();
    const config = await loadConfig(path);
    const counts = [
      `${config.people.length} people`,
      `${Object.keys(config.pipelines).length} pipelines`,
      `${config.environments.length} environments`,
      `${config.notifications.length} notification rules`,
    ];
    console.log(`${config.file} is valid: ${counts.join(', ')}.`);
    // Who may run what, in one line, when it is not made of grants.
    const chat = modules.chat as readonly ChatPlatformModule<unknown>[];
    const platforms = chat.filter((m) => m.enabled(config.sections[m.name])).map((m) => m.name);
    for (const notice of policyNotices(config, platforms))
      (notice.level === 'warn' ? console.warn : console.log)(`${notice.level}: ${notice.text}`);
  });

const audit = program.command('audit').description('the audit log: list, verify, export');
audit
  .command('list', { isDefault: true })
  .description('print recent audit log entries, newest first')
  .option(...configOption)
  .option('-n, --limit <n>', 'how many entries', parsePositive, 20)
  .option('--json', 'one JSON object per line')
  .action(async (opts: { config?: string; limit: number; json?: boolean }) => {
    await runAudit(await loadConfig(opts.config ?? defaultConfigFile()), opts.limit, Boolean(opts.json));
  });
audit
  .command('verify')
  .description('prove the hash chain intact, or name the first altered entry (exit 1)')
  .option(...configOption)
  .action(async (opts: { config?: string }) => {
    process.exitCode = await runAuditVerify(await loadConfig(opts.config ?? defaultConfigFile()));
  });
audit
  .command('export')
  .description('print entries oldest first, with their hashes')
  .option(...configOption)
  .option('--since <date>', 'only entries at or after this date (e.g. 2026-11-01)', parseDate)
  .option('--format <format>', 'jsonl or csv', parseFormat, 'jsonl')
  .action(async (opts: { config?: string; since?: Date; format: 'jsonl' | 'csv' }) => {
    await runAuditExport(await loadConfig(opts.config ?? defaultConfigFile()), opts.since, opts.format);
  });

const cli: CliContext = {
  configOption,
  loadConfig,
  families: familyShapes(modules.commands),
};
incidentCommands(program, (file) => loadConfig(file));
for (const m of modules.chat as readonly ChatPlatformModule<unknown>[]) {
  const command = m.cli?.(cli);
  if (command) program.addCommand(command);
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--port must be 0–65535, not "${value}"`);
  return n;
}

function parseDate(value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new Error(`--since takes a date like 2026-11-01 or 2026-11-01T12:00:00Z, not "${value}"`);
  }
  return date;
}

function parseFormat(value: string): 'jsonl' | 'csv' {
  if (value !== 'jsonl' && value !== 'csv') throw new Error(`--format is jsonl or csv, not "${value}"`);
  return value;
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--limit must be a positive whole number, not "${value}"`);
  return n;
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(`deckhand: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
