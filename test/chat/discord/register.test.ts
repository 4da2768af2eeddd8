/** `deckhand discord register-commands`: the families as slash commands, registered in bulk. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { applicationCommands } from '../../../src/chat/discord/commands.ts';
import { registerCommands } from '../../../src/chat/discord/register.ts';
import { ciFamily } from '../../../src/commands/ci/index.ts';
import { familyShapes } from '../../../src/modules/index.ts';
import { type DiscordFake, startDiscordFake } from '../../fakes/discord-api.ts';
import { loadConfig } from '../../helpers/config.ts';

const families = familyShapes([ciFamily]);

describe('Discord command registration', () => {
  let fake: DiscordFake;
  before(async () => {
    fake = await startDiscordFake({ channels: [] });
  });
  after(() => fake.close());

  it('makes /ci with a subcommand per command, required options first, within Discord limits', () => {
    const [ci] = applicationCommands(families) as unknown as {
      name: string;
      options?: { name: string; description: string; options: { name: string; required: boolean }[] }[];
    }[];
    assert.equal(ci?.name, 'ci');
    const deploy = ci?.options?.find((o) => o.name === 'deploy') as {
      options: { name: string; required: boolean }[];
    };
    assert.deepEqual(
      deploy.options.slice(0, 2).map((o) => [o.name, o.required]),
      [
        ['environment', true],
        ['version', false],
      ].filter(([n]) => deploy.options.some((o) => o.name === n)),
    );
    const all = ci?.options ?? [];
    assert.ok(all.length <= 25);
    for (const sub of all as { name: string; description: string; options: { required: boolean }[] }[]) {
      assert.match(sub.name, /^[-_a-z0-9]{1,32}$/);
      assert.ok(sub.description.length >= 1 && sub.description.length <= 100);
      const firstOptional = sub.options.findIndex((o) => !o.required);
      assert.ok(firstOptional === -1 || sub.options.slice(firstOptional).every((o) => !o.required), sub.name);
    }
  });

  it('registers them in one server, and says what is missing', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = (env: Record<string, string>) => ({
      out: (t: string) => out.push(t),
      err: (t: string) => err.push(t),
      env,
    });
    const cli = { loadConfig, families };
    const env = {
      DISCORD_APPLICATION_ID: '900000000000000001',
      DISCORD_BOT_TOKEN: fake.token,
      DISCORD_API_URL: fake.url,
      DECKHAND_CONFIG: '/nonexistent/deckhand.yaml',
    };
    assert.equal(await registerCommands(cli, { guild: '123456789012345678' }, io(env)), 0);
    assert.match(out.join(''), /Registered \/ci in server 123456789012345678/);
    assert.equal((fake.commands.get('123456789012345678') as { name: string }[])[0]?.name, 'ci');
    assert.equal(await registerCommands(cli, { guild: 'abc' }, io(env)), 2);
    assert.equal(await registerCommands(cli, {}, io({ DECKHAND_CONFIG: '/nonexistent/deckhand.yaml' })), 2);
    assert.match(err.join('\n'), /DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN/);
    assert.equal(await registerCommands(cli, {}, io({ ...env, DISCORD_BOT_TOKEN: 'wrong' })), 1);
    assert.doesNotMatch(err.join('\n'), /wrong/);
  });
});
