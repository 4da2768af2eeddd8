/**
 * Adding a chat platform or a command family is one module and one line in the list. Here both are
 * defined in the test and added to a copy of the built-in list, nothing else changed: their help,
 * policy, locks, audit, secrets and message routing behave like the built-in ones'.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { UserError } from '../../src/core/errors.ts';
import { defineFamily } from '../../src/core/family.ts';
import type { Message } from '../../src/core/messages.ts';
import { type ChatAddress, plainChat } from '../../src/core/ports.ts';
import { builtinModules } from '../../src/modules/builtin.ts';
import { defineChatPlatform } from '../../src/modules/chat-platform.ts';
import type { DeckhandModules } from '../../src/modules/index.ts';
import { parseConfig } from '../helpers/config.ts';
import { scriptedCi, withModules } from '../helpers/modules.ts';
import { eventually } from '../helpers/recording-sender.ts';
import { startTestDeckhand } from '../helpers/test-deckhand.ts';

/** What the test platform was asked to post: no threads and no updates, so deckhand degrades. */
const posted: { channel: string; message: Message }[] = [];

/** A chat platform, start to end: its section, its secret, an HTTP route for what people type, a sender. */
const irc = defineChatPlatform<{ token?: string; greeting: string }>({
  name: 'irc',
  config: {
    schema: z.strictObject({ token: z.string().optional(), greeting: z.string().default('hi') }).optional(),
  },
  enabled: (section) => section !== undefined,
  secretVariables: ['IRC_TOKEN'],
  async create(context) {
    const token = context.section?.token ?? context.env.IRC_TOKEN;
    return {
      sender: {
        platform: 'irc',
        capabilities: plainChat,
        async post(address: ChatAddress, message: Message) {
          posted.push({ channel: address.channel, message });
          return { messageId: `irc-${posted.length}` };
        },
      },
      routes: async (app) => {
        app.post<{ Body: { nick: string; channel: string; line?: string; button?: string; on?: string } }>(
          '/irc/line',
          async (request, reply) => {
            if (request.headers['x-irc-token'] !== token) return reply.code(401).send();
            const { nick, channel, line, button, on } = request.body;
            if (button && on) {
              await context.intake.action({
                platform: 'irc',
                userId: nick,
                channel,
                messageId: on,
                actionId: button,
              });
            } else {
              await context.intake.command({ platform: 'irc', userId: nick, channel, text: line ?? '' });
            }
            return reply.code(202).send({ ok: true });
          },
        );
      },
    };
  },
});

/** A command family: its own root, argument type, a command that touches an environment, a button. */
const echo = defineFamily({
  root: 'echo',
  summary: 'Say things back.',
  argTypes: {
    word: {
      check(value) {
        if (!/^[a-z]+$/.test(value)) throw new UserError(`\`${value}\` is not a word: use a to z only.`);
        return value;
      },
    },
  },
  commands: [
    {
      name: 'say',
      summary: 'Say the words back.',
      args: [{ name: 'words', type: 'text', rest: true, required: true, description: 'what to say' }],
      examples: ['say hello there'],
      handle: async (args) => ({
        message: {
          status: 'info',
          text: `echo: ${args.words}`,
          buttons: [{ id: 'again:1', label: 'Again' }],
        },
      }),
    },
    {
      name: 'shout',
      summary: 'Shout one word back.',
      args: [{ name: 'word', type: 'word', required: true, description: 'a word' }],
      examples: ['shout hey'],
      handle: async (args) => ({ message: { status: 'info', text: `${args.word?.toUpperCase()}!` } }),
    },
    {
      name: 'poke',
      summary: 'Poke an environment.',
      args: [{ name: 'environment', type: 'environment', required: true, description: 'where' }],
      touches: { environment: 'environment' },
      examples: ['poke staging'],
      handle: async (args, who) => ({
        message: { status: 'succeeded', text: `poked ${args.environment} for ${who.person.name}` },
      }),
    },
  ],
  buttons: {
    again: {
      permission: async () => ({ command: 'say', args: {} }),
      click: async (_id, who) => ({
        message: { status: 'info', text: `echo again, for ${who.person.name}` },
      }),
    },
  },
});

const yaml = `
database: { dataDir: data }
repositories:
  app: { url: ./repo }
people:
  - { id: alice, name: Alice, roles: [echoer], chat: { irc: nick-alice } }
  - { id: bob, name: Bob, roles: [operator], chat: { irc: nick-bob } }
roles:
  echoer: { allow: [{ commands: ['echo say', 'echo shout', 'echo poke', build] }] }
  operator: { allow: [{ commands: [lock, audit] }] }
channels:
  room: { irc: '#room' }
  builds: { irc: '#builds' }
commands:
  build: { pipeline: p }
pipelines:
  p: { repository: app, steps: [{ name: s, run: "true" }] }
environments:
  - { name: staging }
notifications:
  - { kind: build, channels: [builds] }
webchat: { enabled: false }
irc: { greeting: hello }
`;

describe('a chat platform and a command family plugged in from outside', () => {
  const ci = scriptedCi();
  const modules: DeckhandModules = {
    ...withModules({ ci: [ci.module] }),
    chat: [...builtinModules.chat, irc as never],
    commands: [...builtinModules.commands, echo],
  };
  let d: Awaited<ReturnType<typeof startTestDeckhand>>;
  const say = async (nick: string, line: string) => {
    const res = await d.app.inject({
      method: 'POST',
      url: '/irc/line',
      headers: { 'x-irc-token': 'irc-secret-token-1' },
      payload: { nick, channel: '#room', line },
    });
    assert.equal(res.statusCode, 202);
  };
  /** The next message the platform got in `channel` matching `pattern`. */
  const waitFor = async (channel: string, pattern: RegExp) => {
    let found: Message | undefined;
    await eventually(() => {
      found = posted.find((p) => p.channel === channel && pattern.test(JSON.stringify(p.message)))?.message;
      return found !== undefined;
    }, `${pattern} in ${channel}`);
    return found as Message;
  };

  before(async () => {
    d = await startTestDeckhand({ yaml, modules, env: { IRC_TOKEN: 'irc-secret-token-1' } });
  });
  after(() => d.deckhand.close());

  it('its section is validated with the rest of the config', () => {
    assert.throws(
      () =>
        parseConfig(
          `irc: { nickname: x }\n${yaml.replace('irc: { greeting: hello }', '')}`,
          '/x/d.yaml',
          {},
          modules,
        ),
      /irc.*nickname|nickname.*irc/s,
    );
    assert.equal((d.config.sections.irc as { greeting: string }).greeting, 'hello');
  });

  it('help is generated for the new family from its modules, filtered by what each person may run', async () => {
    await say('nick-alice', '/echo help');
    const help = await waitFor('#room', /\/echo commands/);
    assert.match(help.text ?? '', /\/echo say <words…>/);
    assert.match(help.text ?? '', /\/echo shout <word>/);
    await say('nick-bob', '/echo help');
    await eventually(
      () => posted.filter((p) => /\/echo commands/.test(JSON.stringify(p.message))).length === 2,
      "bob's help",
    );
    const bobs = posted.filter((p) => /\/echo commands/.test(JSON.stringify(p.message))).at(-1)?.message;
    assert.doesNotMatch(bobs?.text ?? '', /echo say/, 'bob may not run it, so help does not list it');
  });

  it("the policy grants the family's commands by root and name, and refuses the rest with the root in the sentence", async () => {
    await say('nick-alice', '/echo say hello there');
    await waitFor('#room', /echo: hello there/);
    await say('nick-bob', '/echo say hi');
    await waitFor('#room', /You may not run `\/echo say`/);
    await say('nick-alice', '/echo shout Hey');
    await waitFor('#room', /`Hey` is not a word: use a to z only\./);
    await say('nick-alice', '/echo shot hey');
    await waitFor('#room', /Did you mean `\/echo shout`\?/);
  });

  it("a lock on an environment refuses the family's command that declares it touches it", async () => {
    await say('nick-bob', '/ci lock staging maintenance');
    await waitFor('#room', /`staging` is locked by @Bob/);
    await say('nick-alice', '/echo poke staging');
    await waitFor('#room', /Only @Bob can change it until it is unlocked/);
  });

  it('its button is routed to the family, checked against the policy and audited', async () => {
    const res = await d.app.inject({
      method: 'POST',
      url: '/irc/line',
      headers: { 'x-irc-token': 'irc-secret-token-1' },
      payload: { nick: 'nick-alice', channel: '#room', button: 'again:1', on: 'irc-1' },
    });
    assert.equal(res.statusCode, 202);
    await waitFor('#room', /echo again, for Alice/);
    await eventually(async () => {
      const [entry] = await d.deckhand.stores.audit.recent(1);
      return entry?.kind === 'action' && entry.platform === 'irc' && entry.text === 'again:1';
    }, 'the click in the audit log');
  });

  it('every command is audited with its platform and family', async () => {
    await eventually(async () => {
      const entries = await d.deckhand.stores.audit.recent(50);
      return entries.some(
        (e) =>
          e.kind === 'command' &&
          e.platform === 'irc' &&
          e.platformUser === 'nick-alice' &&
          JSON.stringify(e.command) ===
            JSON.stringify({ command: 'say', args: { words: 'hello there' }, family: 'echo' }),
      );
    }, 'the echo command in the audit log');
  });

  it('notifications reach the new platform through its channel addresses, degraded without threads or updates', async () => {
    await say('nick-alice', '/ci build main');
    await waitFor('#room', /Build of `main` triggered by @Alice/);
    const runId = ci.provider.triggered.at(-1)?.runId as number;
    await d.deckhand.runs.handle({
      type: 'run.finished',
      runId,
      at: new Date(),
      status: 'succeeded',
      durationMs: 5,
    });
    await waitFor('#builds', new RegExp(`Build #${runId} succeeded`));
  });

  it('its secret is masked on every way out', async () => {
    await say('nick-alice', '/echo say my token is irc-secret-token-1');
    await waitFor('#room', /echo: my token is \[redacted\]/);
    assert.doesNotMatch(JSON.stringify(posted), /irc-secret-token-1/);
  });
});
