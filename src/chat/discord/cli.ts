/** `deckhand discord register-commands [--guild ID]`; the Discord SDK loads only when it runs. */
import { Command } from 'commander';
import type { CliContext } from '../../modules/chat-platform.ts';

export function discordCli(cli: CliContext): Command {
  const discord = new Command('discord').description('Discord: register the slash commands');
  discord
    .command('register-commands')
    .description('register /ci (and every command family) as Discord slash commands')
    .option('--guild <id>', 'only in this server (appears at once; without it: globally)')
    .option(...cli.configOption)
    .action(async (flags: { guild?: string; config?: string }) => {
      const { registerCommands } = await import('./register.ts');
      process.exitCode = await registerCommands(cli, flags);
    });
  return discord;
}
