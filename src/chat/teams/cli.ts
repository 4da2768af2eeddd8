/** `deckhand teams package [--out FILE]`; the packaging code loads only when it runs. */
import { Command } from 'commander';
import type { CliContext } from '../../modules/chat-platform.ts';

export function teamsCli(cli: CliContext): Command {
  const teams = new Command('teams').description('Microsoft Teams: the app package to upload');
  teams
    .command('package')
    .description('write the Teams app package (manifest.json and icons, zipped)')
    .option('--out <file>', 'where to write it', 'deckhand-teams.zip')
    .option('--name <name>', 'the app name in Teams', 'deckhand')
    .option(...cli.configOption)
    .action(async (flags: { out: string; name: string; config?: string }) => {
      const { writePackage } = await import('./package.ts');
      process.exitCode = await writePackage(cli, flags);
    });
  return teams;
}
