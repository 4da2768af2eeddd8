/**
 * A local fake of Discord's REST API v10 for what deckhand calls — messages (create, edit, with
 * `nonce` + `enforce_nonce`), threads from a message, bulk command registration, incident channels
 * under a category, guild members and permission overwrites — following its
 * documented contract: `Authorization: Bot <token>`, message limits (400 code 50035), unknown
 * channels (404 code 10003), and per-channel rate limits with `X-RateLimit-*` headers and a 429
 * whose JSON carries `retry_after` in seconds. It also signs interactions as Discord does (Ed25519
 * over timestamp + body).
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeDiscordMessage {
  id: string;
  channel_id: string;
  content?: string;
  embeds?: {
    title?: string;
    description?: string;
    fields?: { name: string; value: string }[];
    footer?: { text: string };
  }[];
  components?: { components: { label: string; custom_id?: string; style: number }[] }[];
  nonce?: string;
  /** Message flags; 128 (LOADING): a deferred interaction response, "thinking" until edited. */
  flags?: number;
  edits: number;
  at: number;
}

export interface FakeDiscordCall {
  method: string;
  path: string;
  channel?: string;
  status: number;
  at: number;
  early: boolean;
}

let last = 1_300_000_000_000_000_000n;
/** Snowflake-shaped, increasing ids. */
export const snowflake = () => {
  last += 4_194_304n;
  return String(last);
};

/** Discord's limits on a message (https://discord.com/developers/docs/resources/message#embed-object-embed-limits). */
function tooBig(m: Partial<FakeDiscordMessage>): string | undefined {
  if ((m.content ?? '').length > 2000) return 'content';
  if ((m.embeds ?? []).length > 10) return 'embeds';
  for (const e of m.embeds ?? []) {
    const fields = e.fields ?? [];
    if ((e.title ?? '').length > 256 || (e.description ?? '').length > 4096 || fields.length > 25)
      return 'embed';
    if (fields.some((f) => f.name.length > 256 || f.value.length > 1024)) return 'embed.fields';
    const total =
      (e.title ?? '').length +
      (e.description ?? '').length +
      (e.footer?.text.length ?? 0) +
      fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
    if (total > 6000) return 'embed total';
  }
  const rows = m.components ?? [];
  if (rows.length > 5 || rows.some((r) => r.components.length > 5)) return 'components';
  if (rows.some((r) => r.components.some((b) => b.label.length > 80 || (b.custom_id ?? '').length > 100)))
    return 'components.label';
  return undefined;
}

/**
 * A guild channel as Discord returns it (https://discord.com/developers/docs/resources/channel#channel-object):
 * a category (type 4) or a text channel (type 0) with its permission overwrites (allow/deny as
 * strings of bits, https://discord.com/developers/docs/resources/channel#overwrite-object).
 */
export interface FakeGuildChannel {
  id: string;
  type: number;
  guild_id: string;
  name: string;
  parent_id: string | null;
  topic?: string | null;
  permission_overwrites: { id: string; type: number; allow: string; deny: string }[];
}

/** A server with its members and incident categories (`private`: @everyone may not View Channel). */
export interface FakeGuild {
  id: string;
  members: string[];
  categories: { id: string; name?: string; private?: boolean }[];
}

export async function startDiscordFake(o: {
  channels: string[];
  token?: string;
  perChannel?: { limit: number; windowMs: number };
  guild?: FakeGuild;
}) {
  const token = o.token ?? 'discord-bot-token';
  const channels = new Set(o.channels);
  /** Threads by id (the id of the message they were started from) → their parent channel. */
  const threads = new Map<string, string>();
  const messages = new Map<string, FakeDiscordMessage>();
  const commands = new Map<string, unknown[]>();
  const calls: FakeDiscordCall[] = [];
  const limits = { perChannel: o.perChannel };
  /** Guild channels by id: the guild's categories, then the channels created under them. */
  const guildChannels = new Map<string, FakeGuildChannel>();
  const guildMembers = new Set(o.guild?.members ?? []);
  for (const c of o.guild?.categories ?? []) {
    const guild = o.guild?.id as string;
    const hidden = c.private ? [{ id: guild, type: 0, allow: '0', deny: String(1 << 10) }] : [];
    guildChannels.set(c.id, {
      ...{ id: c.id, type: 4, guild_id: guild, name: c.name ?? 'incidents', parent_id: null },
      permission_overwrites: hidden,
    });
  }
  /** A scripted 429 for the next call with a bot token: `retry_after` seconds, as Discord sends it. */
  const scripted: { retryAfter?: number } = {};
  const windows = new Map<string, { start: number; count: number }>();
  const blockedUntil = new Map<string, number>();
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicKeyHex = (publicKey.export({ format: 'der', type: 'spki' }) as Buffer)
    .subarray(-32)
    .toString('hex');

  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
    return status;
  };
  const refuse = (res: http.ServerResponse, status: number, code: number, message: string) =>
    send(res, status, { message, code });

  /** Counts a call against its channel's bucket and sets the headers; true when over the limit. */
  const limited = (channel: string, res: http.ServerResponse): boolean => {
    const l = limits.perChannel;
    if (!l) return false;
    const now = Date.now();
    let w = windows.get(channel);
    if (!w || now - w.start >= l.windowMs) {
      w = { start: now, count: 0 };
      windows.set(channel, w);
    }
    w.count += 1;
    const resetAfter = (w.start + l.windowMs - now) / 1000;
    res.setHeader('x-ratelimit-limit', String(l.limit));
    res.setHeader('x-ratelimit-remaining', String(Math.max(0, l.limit - w.count)));
    res.setHeader('x-ratelimit-reset', String((w.start + l.windowMs) / 1000));
    res.setHeader('x-ratelimit-reset-after', resetAfter.toFixed(3));
    res.setHeader('x-ratelimit-bucket', `channel-${channel}`);
    if (w.count <= l.limit) return false;
    blockedUntil.set(channel, w.start + l.windowMs);
    res.setHeader('retry-after', String(Math.ceil(resetAfter)));
    res.setHeader('x-ratelimit-scope', 'user');
    send(res, 429, { message: 'You are being rate limited.', retry_after: resetAfter, global: false });
    return true;
  };

  /** Applies an edit within Discord's limits. */
  const edit = (message: FakeDiscordMessage, json: Record<string, unknown>, res: http.ServerResponse) => {
    const problem = tooBig(json as Partial<FakeDiscordMessage>);
    if (problem) return refuse(res, 400, 50035, `Invalid Form Body (${problem})`);
    for (const k of ['content', 'embeds', 'components'] as const)
      if (k in json) (message as unknown as Record<string, unknown>)[k] = json[k];
    if (message.flags) message.flags &= ~128; // edited: no longer "thinking"
    message.edits += 1;
    return send(res, 200, message);
  };

  /**
   * Deferred answers by interaction token: the message Discord shows as "thinking", and when the
   * interaction came (its token works for 15 minutes, then 401 Invalid Webhook Token, code 50027:
   * https://discord.com/developers/docs/interactions/receiving-and-responding#followup-messages).
   */
  const originals = new Map<string, { id: string; at: number }>();
  /** Edits of a deferred answer through its webhook, by interaction token. */
  const webhookEdits: { token: string; content?: string }[] = [];

  const handle = (
    req: http.IncomingMessage,
    path: string,
    body: string,
    res: http.ServerResponse,
  ): number => {
    const json = (body ? JSON.parse(body) : {}) as Record<string, unknown>;
    // An interaction's webhook needs no bot token: the interaction token in the path is the credential.
    const hook = path.match(/^\/webhooks\/(\d+)\/([^/]+)\/messages\/(?:@|%40)original$/);
    if (hook) {
      const original = originals.get(decodeURIComponent(hook[2] as string));
      if (original && Date.now() - original.at > 15 * 60_000)
        return refuse(res, 401, 50027, 'Invalid Webhook Token');
      const message = messages.get(original?.id ?? '');
      if (!message) return refuse(res, 404, 10015, 'Unknown Webhook');
      if (req.method === 'DELETE') {
        messages.delete(message.id);
        res.writeHead(204).end();
        return 204;
      }
      webhookEdits.push({ token: decodeURIComponent(hook[2] as string), content: json.content as string });
      return edit(message, json, res);
    }
    if (req.headers.authorization !== `Bot ${token}`) return refuse(res, 401, 0, '401: Unauthorized');
    if (scripted.retryAfter !== undefined) {
      const wait = scripted.retryAfter;
      scripted.retryAfter = undefined;
      res.setHeader('retry-after', String(Math.ceil(wait)));
      res.setHeader('x-ratelimit-scope', 'user');
      res.setHeader('x-ratelimit-bucket', 'scripted');
      return send(res, 429, { message: 'You are being rate limited.', retry_after: wait, global: false });
    }
    const guildRoute = guildRoutes(req, path, json, res);
    if (guildRoute !== undefined) return guildRoute;
    let m = path.match(/^\/channels\/(\d+)\/messages$/);
    if (m && req.method === 'POST') {
      const channel = m[1] as string;
      if (!channels.has(channel) && !threads.has(channel)) return refuse(res, 404, 10003, 'Unknown Channel');
      if (limited(channel, res)) return 429;
      const problem = tooBig(json as Partial<FakeDiscordMessage>);
      if (problem) return refuse(res, 400, 50035, `Invalid Form Body (${problem})`);
      // enforce_nonce: "checked for uniqueness in the past few minutes. If another message was
      // created by the same author with the same nonce, that message will be returned" (Create
      // Message, https://discord.com/developers/docs/resources/message#create-message; the same
      // words in discord-api-types). Discord names no window: the fake takes five minutes.
      const nonce = typeof json.nonce === 'string' ? json.nonce : undefined;
      const earlier =
        nonce && json.enforce_nonce
          ? [...messages.values()].find((x) => x.nonce === nonce && Date.now() - x.at < 5 * 60_000)
          : undefined;
      if (earlier) return send(res, 200, earlier);
      const message: FakeDiscordMessage = {
        ...(json as Partial<FakeDiscordMessage>),
        id: snowflake(),
        channel_id: channel,
        nonce,
        edits: 0,
        at: Date.now(),
      };
      messages.set(message.id, message);
      return send(res, 200, message);
    }
    m = path.match(/^\/channels\/(\d+)\/messages\/(\d+)$/);
    if (m && req.method === 'PATCH') {
      const message = messages.get(m[2] as string);
      if (!message || message.channel_id !== m[1]) return refuse(res, 404, 10008, 'Unknown Message');
      if (limited(m[1] as string, res)) return 429;
      return edit(message, json, res);
    }
    m = path.match(/^\/channels\/(\d+)\/messages\/(\d+)\/threads$/);
    if (m && req.method === 'POST') {
      const message = messages.get(m[2] as string);
      if (!message || message.channel_id !== m[1]) return refuse(res, 404, 10008, 'Unknown Message');
      if (threads.has(message.id))
        return refuse(res, 400, 160004, 'A thread has already been created for this message');
      threads.set(message.id, message.channel_id);
      return send(res, 201, { id: message.id, parent_id: message.channel_id, type: 11, name: json.name });
    }
    m = path.match(/^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/);
    if (m && req.method === 'PUT') {
      const list = (Array.isArray(json) ? json : []).map((c) => ({ ...(c as object), id: snowflake() }));
      commands.set(m[2] ?? 'global', list);
      return send(res, 200, list);
    }
    return refuse(res, 404, 0, '404: Not Found');
  };

  /** Guild channels, members and permission overwrites; undefined when the path is none of them. */
  const guildRoutes = (
    req: http.IncomingMessage,
    path: string,
    json: Record<string, unknown>,
    res: http.ServerResponse,
  ): number | undefined => {
    const guild = o.guild?.id;
    // Get Channel (https://discord.com/developers/docs/resources/channel#get-channel).
    let m = path.match(/^\/channels\/(\d+)$/);
    if (m && req.method === 'GET') {
      const found = guildChannels.get(m[1] as string);
      return found ? send(res, 200, found) : refuse(res, 404, 10003, 'Unknown Channel');
    }
    // Get Guild Channels (https://discord.com/developers/docs/resources/guild#get-guild-channels).
    m = path.match(/^\/guilds\/(\d+)\/channels$/);
    if (m && m[1] !== guild) return refuse(res, 404, 10004, 'Unknown Guild');
    if (m && req.method === 'GET') return send(res, 200, [...guildChannels.values()]);
    // Create Guild Channel (https://discord.com/developers/docs/resources/guild#create-guild-channel):
    // name 1–100, topic 0–1024, parent_id a category of the guild holding fewer than 50 channels.
    if (m && req.method === 'POST') {
      const name = typeof json.name === 'string' ? json.name : '';
      const parent = guildChannels.get(String(json.parent_id ?? ''));
      const topic = typeof json.topic === 'string' ? json.topic : null;
      if (!name || name.length > 100 || (topic ?? '').length > 1024 || json.type !== 0 || parent?.type !== 4)
        return refuse(res, 400, 50035, 'Invalid Form Body');
      if ([...guildChannels.values()].filter((c) => c.parent_id === parent.id).length >= 50)
        return refuse(
          res,
          400,
          50035,
          'Invalid Form Body (Maximum number of channels in category reached (50))',
        );
      const made: FakeGuildChannel = {
        ...{ id: snowflake(), type: 0, guild_id: guild as string, name, parent_id: parent.id, topic },
        permission_overwrites:
          (json.permission_overwrites as FakeGuildChannel['permission_overwrites']) ?? [],
      };
      guildChannels.set(made.id, made);
      channels.add(made.id);
      return send(res, 201, made);
    }
    // Get Guild Member: 404 Unknown Member (10007) for someone not in the server.
    m = path.match(/^\/guilds\/(\d+)\/members\/(\d+)$/);
    if (m && req.method === 'GET') {
      if (m[1] !== guild) return refuse(res, 404, 10004, 'Unknown Guild');
      if (!guildMembers.has(m[2] as string)) return refuse(res, 404, 10007, 'Unknown Member');
      return send(res, 200, { user: { id: m[2] }, roles: [], joined_at: new Date(0).toISOString() });
    }
    // Edit Channel Permissions (https://discord.com/developers/docs/resources/channel#edit-channel-permissions):
    // type 0 role or 1 member, allow/deny bit strings; 204 No Content.
    m = path.match(/^\/channels\/(\d+)\/permissions\/(\d+)$/);
    if (m && req.method === 'PUT') {
      const target = guildChannels.get(m[1] as string);
      if (!target) return refuse(res, 404, 10003, 'Unknown Channel');
      if (json.type !== 0 && json.type !== 1) return refuse(res, 400, 50035, 'Invalid Form Body');
      const overwrite = {
        id: m[2] as string,
        type: json.type,
        allow: String(json.allow ?? '0'),
        deny: String(json.deny ?? '0'),
      };
      target.permission_overwrites = [
        ...target.permission_overwrites.filter((x) => x.id !== overwrite.id),
        overwrite,
      ];
      res.writeHead(204).end();
      return 204;
    }
    return undefined;
  };

  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const path = (req.url ?? '').replace(/^\/api\/v10/, '').split('?')[0] as string;
      const channel = path.match(/^\/channels\/(\d+)/)?.[1];
      const early = channel !== undefined && (blockedUntil.get(channel) ?? 0) > Date.now();
      let status: number;
      try {
        status = handle(req, path, body, res);
      } catch {
        status = refuse(res, 400, 50109, 'The request body contains invalid JSON.');
      }
      calls.push({ method: req.method ?? '', path, channel, status, at: Date.now(), early });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    /** For the REST client's `api` option. */
    url: `http://127.0.0.1:${port}/api`,
    token,
    publicKeyHex,
    calls,
    messages,
    threads,
    commands,
    limits,
    guildChannels,
    guildMembers,
    /** The next call with a bot token answers 429 with `retry_after` (seconds). */
    rateLimitNext(retryAfter: number) {
      scripted.retryAfter = retryAfter;
    },
    /** A channel's messages and its cards' thread replies, oldest first. */
    messagesIn: (channel: string) =>
      [...messages.values()].filter((x) => x.channel_id === channel || threads.get(x.channel_id) === channel),
    webhookEdits,
    /**
     * What Discord does with a deferred answer (type 5): an empty message flagged LOADING (128),
     * shown as "thinking" (https://discord.com/developers/docs/resources/message#message-object-message-flags);
     * `at` is when the interaction came.
     */
    deferred(interactionToken: string, channel: string, at = Date.now()) {
      const message: FakeDiscordMessage = {
        id: snowflake(),
        channel_id: channel,
        content: '',
        flags: 128,
        edits: 0,
        at,
      };
      messages.set(message.id, message);
      originals.set(interactionToken, { id: message.id, at });
      return message;
    },
    /** The headers Discord signs an interaction with. */
    signed(body: string, timestamp = String(Math.floor(Date.now() / 1000))) {
      const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString('hex');
      return { 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type DiscordFake = Awaited<ReturnType<typeof startDiscordFake>>;
