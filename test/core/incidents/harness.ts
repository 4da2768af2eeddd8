/**
 * A deckhand with incidents on: a recording chat platform that can create channels (as
 * ChatSender.createChannel promises: idempotent on name), a stub on-call port, a fake clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { OnCall } from '../../../src/core/oncall/types.ts';
import type { CreatedChannel, NewChannel } from '../../../src/core/ports.ts';
import type { ChatPlatformModule } from '../../../src/modules/index.ts';
import { createDeckhand } from '../../../src/server/deckhand.ts';
import { parseConfig } from '../../helpers/config.ts';
import { scriptedCi, withModules } from '../../helpers/modules.ts';
import { RecordingSender, silentLogger } from '../../helpers/recording-sender.ts';

/** A recording sender with channel creation. */
export class ChannelSender extends RecordingSender {
  override readonly capabilities = { ...new RecordingSender().capabilities, createChannels: true };
  readonly channels = new Map<string, { id: string; members: string[] }>();
  readonly invites: { channel: string; members: string[] }[] = [];

  async createChannel(channel: NewChannel): Promise<CreatedChannel> {
    const found = this.channels.get(channel.name);
    if (found) return { channel: found.id, notAdded: [] };
    const id = `C-${channel.name}`;
    this.channels.set(channel.name, { id, members: [...channel.members] });
    return { channel: id, notAdded: [] };
  }

  async invite(channel: string, members: string[]): Promise<string[]> {
    this.invites.push({ channel, members });
    for (const c of this.channels.values()) if (c.id === channel) c.members.push(...members);
    return [];
  }
}

export const incidentConfig = `
repositories:
  app: { url: ./repo }
people:
  - { id: alice, name: Alice, chat: { test: U1 } }
  - { id: bob, name: Bob, chat: { test: U2 } }
  - { id: carol, name: Carol, chat: { test: U3 } }
channels:
  general: { test: C-general }
  incidents: { test: C-incidents }
commands:
  deploy: { pipeline: p }
  rollback: { pipeline: p }
pipelines:
  p: { repository: app, steps: [{ name: s, run: "true" }] }
environments:
  - { name: staging, order: 1 }
  - { name: production, order: 2, protected: true }
policy: { allowEveryone: true }
# What stubOnCall answers, as config (the harness injects the stub; the config must name the same).
oncall:
  schedules:
    primary: { rotation: { people: [bob], length: 1w, start: 2026-01-05 } }
  escalation:
    default:
      levels:
        - { after: 5m, targets: [{ schedule: primary }] }
        - { after: 10m, targets: [{ person: carol }] }
        - { after: 10m, targets: [{ person: alice }] }
      repeat: 1
incidents:
  channel: incidents
  schedule: primary
  escalation: default
  rollbackWindow: 2h
`;

/** On call: bob in `primary`; policy `default` pages bob, then carol after 5 min, then alice after 10, repeated once. */
export function stubOnCall(): OnCall {
  const levels = [
    { afterMs: 5 * 60_000, targets: [{ schedule: 'primary' }] },
    { afterMs: 10 * 60_000, targets: [{ person: 'carol' }] },
    { afterMs: 10 * 60_000, targets: [{ person: 'alice' }] },
  ];
  const who = ['bob', 'carol', 'alice'];
  return {
    schedules: () => ['primary'],
    now: (schedule, at) =>
      schedule === 'primary'
        ? { schedule, person: 'bob', from: new Date(0), until: new Date(at.getTime() + 1e9) }
        : undefined,
    next: () => undefined,
    policy: (name) => (name === 'default' ? { name, levels, repeat: 1 } : undefined),
    page: (_policy, level) => (who[level] ? [who[level] as string] : []),
  };
}

/** A clock tests move by hand. */
export function fakeClock(start = '2026-03-01T10:00:00Z') {
  let now = new Date(start).getTime();
  return {
    now: () => new Date(now),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

export async function incidentHarness(
  o: {
    yaml?: string;
    env?: Record<string, string>;
    clock?: ReturnType<typeof fakeClock>;
    sqlite?: string;
    sender?: RecordingSender;
  } = {},
) {
  // A plain RecordingSender stands for a platform that cannot create channels (Teams).
  const sender = (o.sender ?? new ChannelSender('test')) as ChannelSender;
  const chat: ChatPlatformModule<unknown> = {
    name: 'test',
    enabled: () => true,
    create: async () => ({ sender }),
  };
  const ci = scriptedCi();
  const modules = withModules({ chat: [chat as ChatPlatformModule<never>], ci: [ci.module] });
  const dir = mkdtempSync(path.join(tmpdir(), 'deckhand-incidents-'));
  const env = o.env ?? {
    ALERTMANAGER_WEBHOOK_TOKEN: 'am-token-0123456789',
    ALERTS_WEBHOOK_TOKEN: 'alerts-token-0123456789',
  };
  const config = parseConfig(o.yaml ?? incidentConfig, path.join(dir, 'deckhand.yaml'), env, modules);
  config.paths.sqlite = o.sqlite ?? path.join(dir, 'deckhand.db');
  const clock = o.clock ?? fakeClock();
  const deckhand = await createDeckhand({
    config,
    modules,
    clock,
    env,
    logger: silentLogger(),
    oncall: stubOnCall(),
  });
  await deckhand.startWorkers();
  const { core, outbox } = deckhand;
  const say = async (text: string, userId = 'U1', channel = 'C-general') => {
    const reply = await core.handleCommand({ platform: 'test', userId, channel, text });
    await outbox.settle();
    return reply.message;
  };
  const click = async (messageId: string, actionId: string, userId = 'U1') => {
    const sent = sender.sent.find((s) => s.messageId === messageId);
    const reply = await core.handleAction({
      platform: 'test',
      userId,
      channel: sent?.channel ?? 'C-general',
      messageId,
      actionId,
    });
    await outbox.settle();
    return reply.message;
  };
  /** Waits for the intake and the outbox to be done. */
  const settle = async () => {
    await deckhand.handled();
    await outbox.settle();
  };
  const close = async (keep = false) => {
    await deckhand.close();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  };
  return { deckhand, sender, ci, clock, env, dir, say, click, settle, close };
}
