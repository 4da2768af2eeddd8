/**
 * Usage a person can read: help shows what goes after each flag (`[--for <duration>]`, not
 * `[--for FOR]`), hints and descriptions cut to a platform's limit are never cut mid-word, and a
 * bad `--guild` gets a sentence saying what a server id is and where to find it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applicationCommands } from '../../src/chat/discord/commands.ts';
import { registerCommands } from '../../src/chat/discord/register.ts';
import { slackManifestObject, slackUsageHint } from '../../src/chat/slack/manifest.ts';
import { helpMessage } from '../../src/core/commands/help.ts';
import { usage } from '../../src/core/commands/types.ts';
import { builtinModules } from '../../src/modules/builtin.ts';
import { clip } from '../../src/modules/common.ts';
import { familyShapes } from '../../src/modules/index.ts';
import { loadConfig } from '../helpers/config.ts';

const [ci] = builtinModules.commands;
if (!ci) throw new Error('no command family');
const commands = [...ci.commands];

describe('help placeholders', () => {
  it('say what goes after each flag', () => {
    const of = (name: string) => {
      const command = commands.find((c) => c.name === name);
      assert.ok(command, name);
      return usage(command, 'ci');
    };
    assert.equal(of('lock'), '/ci lock <environment> [reason…] [--for <duration>]');
    assert.equal(of('unlock'), '/ci unlock <environment> [--force yes]');
    assert.equal(of('deploy'), '/ci deploy <environment> [version] [--break-glass <reason>]');
    assert.equal(of('test'), '/ci test [suite] [--branch <branch>]');
    assert.equal(of('audit'), '/ci audit [count] [--user <person>] [--kind <kind>]');
    assert.equal(of('stats'), '/ci stats [--days <days>]');
  });

  it('no command shows a flag value in capitals, in help or its details', () => {
    const all = helpMessage(commands as never, 'ci').text ?? '';
    assert.match(all, /`\/ci lock <environment> \[reason…\] \[--for <duration>\]` — /);
    for (const c of commands) {
      const detail = helpMessage(commands as never, 'ci', c.name).text ?? '';
      for (const text of [all, detail]) {
        assert.doesNotMatch(text, /--[a-z-]+ [A-Z]{2,}/, c.name);
        for (const [, value] of text.matchAll(/\[--[a-z-]+ ([^\]]+)\]/g))
          assert.match(value ?? '', /^(<[a-z-]+>|yes)$/, `${c.name}: ${value}`);
      }
    }
  });
});

describe('hints and descriptions within a limit', () => {
  it('are cut between words or alternatives, never within one', () => {
    assert.equal(clip('how many entries to show at most', 20), 'how many entries to…');
    assert.equal(clip('a | bb | ccc | dddd', 12, ' | '), 'a | bb | …');
    assert.equal(clip('short', 100), 'short');
    assert.equal(clip('x'.repeat(30), 10), `${'x'.repeat(9)}…`);
  });

  it("Slack's usage hints: /ci's whole, another family's cut after an alternative", () => {
    assert.ok(slackUsageHint.length <= 100);
    const alternatives = Array.from({ length: 12 }, (_, i) => `restart${i} <service>`);
    const manifest = slackManifestObject({
      more: [{ command: '/ops', description: 'Operate services', usageHint: alternatives.join(' | ') }],
    });
    const [own, ops] = manifest.features?.slash_commands ?? [];
    assert.equal(own?.usage_hint, slackUsageHint);
    const hint = ops?.usage_hint ?? '';
    assert.ok(hint.length <= 100, hint);
    assert.match(hint, / \| …$/);
    for (const kept of hint.replace(/ \| …$/, '').split(' | ')) assert.ok(alternatives.includes(kept), kept);
  });

  it("Discord's descriptions end at a word", () => {
    const summary = `Restart a service and wait for ${'its health checks to pass '.repeat(6)}`.trim();
    const [family] = applicationCommands([
      { root: 'ops', summary, commands: ['restart'], specs: [{ name: 'restart', summary, args: [] }] },
    ]) as unknown as { description: string }[];
    const description = family?.description ?? '';
    assert.ok(description.length <= 100 && description.endsWith('…'), description);
    assert.ok(summary.startsWith(`${description.slice(0, -1)} `), description);
  });

  it('the built-in families fit Discord as they are', () => {
    const [family] = applicationCommands(familyShapes(builtinModules.commands)) as unknown as {
      options: { description: string }[];
    }[];
    for (const o of family?.options ?? []) assert.ok(!o.description.endsWith('…'), o.description);
  });
});

describe('deckhand discord register-commands --guild', () => {
  const run = async (guild: string, env: Record<string, string> = {}) => {
    const err: string[] = [];
    const cli = { loadConfig, families: familyShapes(builtinModules.commands) };
    const code = await registerCommands(
      cli,
      { guild },
      {
        out: () => undefined,
        err: (t) => err.push(t),
        env: { DECKHAND_CONFIG: '/nonexistent/d.yaml', ...env },
      },
    );
    return { code, err: err.join('\n') };
  };

  it('a bad server id: what one is and where to find it, before anything else', async () => {
    for (const guild of ['my-server', '1234', 'https://discord.com/channels/123456789012345678/1']) {
      const { code, err } = await run(guild);
      assert.equal(code, 2);
      assert.equal(
        err,
        `--guild takes a Discord server id, 17 to 20 digits, not "${guild.length > 40 ? `${guild.slice(0, 40)}…` : guild}". In Discord, turn on Developer Mode (User Settings → Advanced), then right-click the server → Copy Server ID.`,
      );
    }
  });

  it('a good one goes on to the credentials', async () => {
    const { code, err } = await run('123456789012345678');
    assert.equal(code, 2);
    assert.match(err, /DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN/);
  });
});
