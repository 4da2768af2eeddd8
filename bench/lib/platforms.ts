/**
 * The chat platforms the notification and burst benchmarks run against, each through its local
 * fake enforcing the platform's documented limit: Slack one message a second per channel;
 * Mattermost's rate limiter (off by default; 10 requests a second when on) for the bot's token;
 * Discord's per-channel message bucket (5 per 5 s, announced in `X-RateLimit-*`); Teams' 7
 * messages a second per bot per thread.
 */
import { startDiscordFake } from '../../test/fakes/discord-api.ts';
import { startMattermostFake } from '../../test/fakes/mattermost-api.ts';
import { startTeamsFake } from '../../test/fakes/teams-api.ts';
import type { ChannelMessage } from './chat-audit.ts';
import { benchEnv, benchSlackFake } from './config.ts';

/** A platform's fake as the benchmarks read it. */
export interface BenchPlatform {
  name: string;
  /** The limit the fake enforces, in words. */
  limit: string;
  /** The least time any sender could take to post one message per run under that limit. */
  minDrainS(runsPerChannel: number, channels: number): number;
  /** The platform's address of a benchmark channel (`C01`), where it differs. */
  channelId?(channel: string): string;
  /** What deckhand's environment needs to reach the fake. */
  env: Record<string, string>;
  /** Every call the fake answered, with its channel, status and time. */
  calls(): { channel?: string; status: number; at: number }[];
  /** Calls that came before a 429's wait was over. */
  earlyRetries(): number;
  /** A channel's messages in the shape the checks read. */
  messagesIn(channel: string): ChannelMessage[];
  close(): Promise<void>;
}

/** Starts a platform's fake for `channels`, enforcing its documented limit when `limited`. */
export type StartBenchPlatform = (channels: string[], limited: boolean) => Promise<BenchPlatform>;

const slack: StartBenchPlatform = async (channels, limited) => {
  const fake = await benchSlackFake(channels, limited ? 1 : undefined);
  return {
    name: 'slack',
    limit: limited ? '1 message/s per channel' : 'none',
    minDrainS: (runs) => runs - 1,
    env: benchEnv({ slack: fake.url }),
    calls: () => fake.calls.map((c) => ({ channel: c.body.channel as string, status: c.status, at: c.at })),
    earlyRetries: () => fake.earlyRetries,
    messagesIn: (channel) => fake.messagesIn(channel),
    close: () => fake.close(),
  };
};

const mattermost: StartBenchPlatform = async (channels, limited) => {
  const fake = await startMattermostFake({
    channels: [...channels, 'C-general', 'C-builds', 'C-deploys'],
    tokens: { 'mm-bench': 'bench-bot' },
    perSecond: limited ? 10 : undefined,
  });
  return {
    name: 'mattermost',
    limit: limited ? '10 requests/s for the bot' : 'none',
    minDrainS: (runs, channels) => (runs * channels) / 10 - 1,
    env: {
      MATTERMOST_URL: fake.url,
      MATTERMOST_BOT_TOKEN: 'mm-bench',
      MATTERMOST_COMMAND_TOKEN: 'mm-command',
    },
    calls: () => fake.calls.map((c) => ({ channel: c.channel, status: c.status, at: c.at })),
    earlyRetries: () => fake.calls.filter((c) => c.early).length,
    messagesIn: (channel) =>
      fake.postsIn(channel).map((p) => ({
        ts: p.id,
        ...(p.root_id ? { thread_ts: p.root_id } : {}),
        text: p.message,
        attachments: p.props.attachments as unknown[] | undefined,
      })),
    close: () => fake.close(),
  };
};

const discord: StartBenchPlatform = async (channels, limited) => {
  // Discord ids are numbers: the benchmark's channels become 7000…01, 7000…02…
  const all = [...channels, 'C-general', 'C-builds', 'C-deploys'];
  const id = (channel: string) => `7000000000000${String(all.indexOf(channel) + 1).padStart(5, '0')}`;
  const names = new Map(all.map((c) => [id(c), c]));
  const fake = await startDiscordFake({
    channels: all.map(id),
    ...(limited ? { perChannel: { limit: 5, windowMs: 5000 } } : {}),
  });
  return {
    name: 'discord',
    limit: limited ? '5 messages/5 s per channel' : 'none',
    minDrainS: (runs) => (Math.ceil(runs / 5) - 1) * 5,
    channelId: id,
    env: {
      DISCORD_APPLICATION_ID: '900000000000000001',
      DISCORD_PUBLIC_KEY: fake.publicKeyHex,
      DISCORD_BOT_TOKEN: fake.token,
      DISCORD_API_URL: fake.url,
    },
    calls: () =>
      fake.calls.map((c) => ({
        channel: c.channel && names.get(fake.threads.get(c.channel) ?? c.channel),
        status: c.status,
        at: c.at,
      })),
    earlyRetries: () => fake.calls.filter((c) => c.early).length,
    messagesIn: (channel) =>
      fake.messagesIn(id(channel)).map((m) => ({
        ts: m.id,
        ...(fake.threads.has(m.channel_id) ? { thread_ts: m.channel_id } : {}),
        text: m.content,
        attachments: m.embeds,
      })),
    close: () => fake.close(),
  };
};

const teams: StartBenchPlatform = async (_channels, limited) => {
  const fake = await startTeamsFake({
    appId: '00000000-0000-4000-8000-00000000d0c4',
    appPassword: 'bench',
    ...(limited ? { perThreadPerSecond: 7 } : {}),
  });
  // A thread's messages go to the channel's conversation: count them there.
  const channelOf = (thread?: string) => thread?.split(';')[0];
  return {
    name: 'teams',
    limit: limited ? '7 messages/s per thread' : 'none',
    minDrainS: (runs) => Math.ceil(runs / 7) - 1,
    env: fake.env,
    calls: () =>
      fake.calls
        .filter((c) => c.thread)
        .map((c) => ({ channel: channelOf(c.thread), status: c.status, at: c.at })),
    earlyRetries: () => fake.calls.filter((c) => c.early).length,
    messagesIn: (channel) =>
      fake.activitiesIn(channel).map((a) => ({
        ts: a.id,
        ...(a.replyToId ? { thread_ts: a.replyToId } : {}),
        text: a.text,
        attachments: a.attachments,
      })),
    close: () => fake.close(),
  };
};

/** Every platform the benchmarks measure, Slack first (its figures are the headline ones). */
export const benchPlatforms: StartBenchPlatform[] = [slack, teams, mattermost, discord];
