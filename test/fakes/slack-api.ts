/** A local fake of the Slack Web API that follows Slack's documented contract, for the real WebClient. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConversationsInviteResponse } from '@slack/web-api';

/**
 * A scripted failure for the next call of one method: HTTP `status` (default 200, an `ok:false`
 * answer; 429 adds `Retry-After: retryAfter`, default 1 s), Slack `error` code (default `ratelimited`
 * for 429, else `internal_error`) and `extra` body fields such as `{ needed: 'chat:write' }`.
 */
export interface SlackFakeFailure {
  status?: number;
  error?: string;
  retryAfter?: number;
  extra?: Record<string, unknown>;
}

/** One request the fake received, the HTTP status it answered and whether it came before its Retry-After. */
export interface SlackFakeCall {
  method: string;
  body: Record<string, unknown>;
  headers: http.IncomingHttpHeaders;
  at: number;
  status: number;
  early: boolean;
}

/** A message as the fake stores it. */
export interface SlackFakeMessage {
  channel: string;
  ts: string;
  /** Set on a message a person wrote (see `userMessage`); the bot's own have none. */
  user?: string;
  thread_ts?: string;
  reply_broadcast?: boolean;
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  /** App metadata posted with it (`event_type`, `event_payload`). */
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  edits: number;
}

/** Options for {@link startSlackFake}: the workspace's initial configuration. */
export type SlackFakeOptions = Partial<
  Pick<SlackFake, 'tokens' | 'appTokens' | 'usergroups' | 'rateLimit' | 'socketUrl'> & {
    channels: string[];
    users: string[];
  }
>;

/**
 * A channel the fake knows by name (created through conversations.create, or added by a test),
 * as conversations.create/list/info return it (https://docs.slack.dev/reference/objects/conversation-object).
 */
export interface SlackFakeConversation {
  id: string;
  name: string;
  topic: string;
  purpose: string;
  is_archived: boolean;
  /** User ids in the channel; the bot (U-bot) is in the channels it created. */
  members: Set<string>;
  creator: string;
}

/** A running fake; fields are mutable so tests can change the workspace. */
export interface SlackFake {
  /** Base URL for the WebClient's `slackApiUrl`; ends with `/api/`. */
  readonly url: string;
  tokens: string[];
  appTokens: string[];
  channels: Set<string>;
  notInChannel: Set<string>;
  usergroups: Record<string, string[]>;
  /** The workspace's people (conversations.invite answers user_not_found for others). */
  users: Set<string>;
  /** Channels by id with a name (created ones; tests may add archived ones). */
  conversations: Map<string, SlackFakeConversation>;
  rateLimit: { perChannelPerSecond: number } | undefined;
  socketUrl: string;
  readonly calls: SlackFakeCall[];
  readonly messages: Map<string, SlackFakeMessage[]>;
  readonly ephemerals: { channel: string; user: string; text?: string }[];
  /** Requests that arrived before the Retry-After the fake had given their channel. */
  readonly earlyRetries: number;
  /** Messages of one channel, oldest first (empty when none). */
  messagesIn(channel: string): SlackFakeMessage[];
  /**
   * A message a person wrote in a channel, as Slack has it before it sends an event about it (an
   * app_mention's message, a thread's parent): conversations.replies finds threads under it.
   */
  userMessage(channel: string, message: { ts: string; user: string; text: string }): void;
  /** Makes the next call of `method` fail as described (queued, first in first out). */
  failNext(method: string, failure?: SlackFakeFailure): void;
  /** Forgets calls, messages, scripted failures and rate-limit state; keeps the configuration. */
  reset(): void;
  close(): Promise<void>;
}

type Answer = { status: number; body: Record<string, unknown>; headers?: Record<string, string> };
type Body = Record<string, unknown>;

const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata', 'view']);
const RATE_LIMITED = new Set(['chat.postMessage', 'chat.update']);

function json(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function parseBody(raw: string, contentType: string | undefined, query: URLSearchParams): Body {
  const body: Body = Object.fromEntries(query);
  if (contentType?.includes('application/json')) return { ...body, ...(raw ? JSON.parse(raw) : {}) };
  for (const [key, value] of new URLSearchParams(raw)) body[key] = JSON_FIELDS.has(key) ? json(value) : value;
  return body;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const bool = (v: unknown): boolean => v === true || v === 'true' || v === '1';
const fail = (error: string, extra: Body = {}): Answer => ({
  status: 200,
  body: { ok: false, error, ...extra },
});
const ok = (body: Body): Answer => ({ status: 200, body: { ok: true, ...body } });

/** Checks Block Kit lightly: at most 50 blocks per list, section text at most 3000 characters. */
function blocksError(body: Body): string | undefined {
  const lists: unknown[] = [body.blocks];
  if (Array.isArray(body.attachments))
    for (const a of body.attachments) lists.push((a as { blocks?: unknown })?.blocks);
  for (const list of lists) {
    if (list === undefined) continue;
    if (!Array.isArray(list)) return 'invalid_blocks_format';
    if (list.length > 50) return 'invalid_blocks';
    for (const block of list as { type?: string; text?: { text?: unknown } }[]) {
      const text = block?.text?.text;
      if (block?.type === 'section' && typeof text === 'string' && text.length > 3000)
        return 'invalid_blocks';
    }
  }
  return undefined;
}

/** Starts the fake on 127.0.0.1 on a random port. */
export async function startSlackFake(options: SlackFakeOptions = {}): Promise<SlackFake> {
  const calls: SlackFakeCall[] = [];
  const messages = new Map<string, SlackFakeMessage[]>();
  const ephemerals: SlackFake['ephemerals'] = [];
  const failures = new Map<string, SlackFakeFailure[]>();
  const lastAccepted = new Map<string, number>();
  const toldUntil = new Map<string, number>();
  let earlyRetries = 0;
  // A message's ts is the Unix time Slack stored it at, in microseconds, unique in its channel.
  let lastTs = 0n;
  const nextTs = () => {
    const now = BigInt(Date.now()) * 1000n;
    lastTs = now > lastTs ? now : lastTs + 1n;
    return `${lastTs / 1_000_000n}.${String(lastTs % 1_000_000n).padStart(6, '0')}`;
  };
  const micros = (ts: string) => {
    const [sec = '0', frac = ''] = ts.split('.');
    return BigInt(sec) * 1_000_000n + BigInt(frac.padEnd(6, '0').slice(0, 6) || '0');
  };
  /** Messages in ts order, within `oldest`/`latest` (exclusive unless `inclusive`), a page at a cursor. */
  const page = (list: SlackFakeMessage[], body: Body, defaultLimit: number, maxLimit: number) => {
    const inclusive = bool(body.inclusive);
    const oldest = str(body.oldest) ? micros(String(body.oldest)) : undefined;
    const latest = str(body.latest) ? micros(String(body.latest)) : undefined;
    const within = list.filter((m) => {
      const t = micros(m.ts);
      if (oldest !== undefined && (inclusive ? t < oldest : t <= oldest)) return false;
      return latest === undefined || (inclusive ? t <= latest : t < latest);
    });
    const limit = Math.min(Number(body.limit ?? defaultLimit) || defaultLimit, maxLimit);
    const from =
      Number(
        Buffer.from(str(body.cursor) ?? '', 'base64url')
          .toString()
          .replace('next:', ''),
      ) || 0;
    const shown = within.slice(from, from + limit);
    const more = from + limit < within.length;
    return { shown, more, next: more ? Buffer.from(`next:${from + limit}`).toString('base64url') : '' };
  };
  const byTs = (a: SlackFakeMessage, b: SlackFakeMessage) => (micros(a.ts) < micros(b.ts) ? -1 : 1);

  const tooSoon = (channel: string | undefined, secs: number, now: number, extra: Body = {}): Answer => {
    if (channel) toldUntil.set(channel, now + secs * 1000);
    const body = { ok: false, error: 'ratelimited', ...extra };
    return { status: 429, headers: { 'Retry-After': String(secs) }, body };
  };

  /** The checks every message-carrying call shares: channel, membership, content, Block Kit. */
  const refusal = (body: Body, channel: string | undefined, member = false): string | undefined => {
    if (!channel || !fake.channels.has(channel)) return 'channel_not_found';
    if (member && fake.notInChannel.has(channel)) return 'not_in_channel';
    if (!str(body.text) && body.blocks === undefined && body.attachments === undefined) return 'no_text';
    if ((str(body.text)?.length ?? 0) > 40_000) return 'msg_too_long';
    return blocksError(body);
  };

  const content = (body: Body) => ({
    text: str(body.text),
    blocks: Array.isArray(body.blocks) ? body.blocks : undefined,
    attachments: Array.isArray(body.attachments) ? body.attachments : undefined,
  });

  const shownMessage = (m: SlackFakeMessage, withMetadata: boolean) => {
    const { channel: _c, edits: _e, metadata, ...shown } = m;
    const author = m.user ? {} : { bot_id: 'B-bot' };
    return { type: 'message', ...author, ...shown, ...(withMetadata && metadata ? { metadata } : {}) };
  };

  const conversation = (c: SlackFakeConversation) => ({
    id: c.id,
    name: c.name,
    is_channel: true,
    is_private: false,
    is_archived: c.is_archived,
    is_member: c.members.has('U-bot'),
    creator: c.creator,
    topic: { value: c.topic, creator: c.creator, last_set: 0 },
    purpose: { value: c.purpose, creator: c.creator, last_set: 0 },
    num_members: c.members.size,
  });

  const methods: Record<string, (body: Body) => Answer> = {
    'auth.test': () => ok({ team: 'Fake', user: 'deckhand', team_id: 'T-fake', user_id: 'U-bot' }),
    'chat.postMessage': (body) => {
      const channel = str(body.channel);
      const refused = refusal(body, channel, true);
      if (refused || !channel) return fail(refused ?? 'channel_not_found');
      const message: SlackFakeMessage = { channel, ts: nextTs(), ...content(body), edits: 0 };
      if (str(body.thread_ts)) message.thread_ts = str(body.thread_ts);
      if (bool(body.reply_broadcast)) message.reply_broadcast = true;
      const metadata = body.metadata as SlackFakeMessage['metadata'] | undefined;
      if (metadata?.event_type) message.metadata = metadata;
      fake.messagesIn(channel).push(message);
      const { channel: _c, edits: _e, ...shown } = message;
      return ok({ channel, ts: message.ts, message: { type: 'message', bot_id: 'B-bot', ...shown } });
    },
    // views.open: a trigger id and a modal view (title at most 24 characters, at most 100 blocks).
    'views.open': (body) => {
      const view = body.view as
        | { type?: unknown; title?: { text?: unknown }; blocks?: unknown[] }
        | undefined;
      if (!str(body.trigger_id)) return fail('invalid_trigger_id');
      if (view?.type !== 'modal' || !Array.isArray(view.blocks)) return fail('invalid_arguments');
      if (String(view.title?.text ?? '').length > 24 || view.blocks.length > 100)
        return fail('invalid_arguments');
      return ok({ view: { id: `V${nextTs().replace('.', '')}`, ...view } });
    },
    'chat.update': (body) => {
      const channel = str(body.channel);
      const refused = refusal(body, channel);
      if (refused) return fail(refused);
      const message = messages.get(channel ?? '')?.find((m) => m.ts === str(body.ts));
      if (!message) return fail('message_not_found');
      Object.assign(message, content(body), { edits: message.edits + 1 });
      return ok({ channel, ts: message.ts, text: message.text ?? '', message: { text: message.text } });
    },
    'chat.postEphemeral': (body) => {
      const channel = str(body.channel);
      const user = str(body.user);
      const refused = refusal(body, channel) ?? (user ? undefined : 'user_not_found');
      if (refused || !channel || !user) return fail(refused ?? 'user_not_found');
      ephemerals.push({ channel, user, text: str(body.text) });
      return ok({ message_ts: nextTs() });
    },
    // History, newest first: top-level messages (and replies broadcast to the channel), limit 100
    // by default and at most 999, `oldest`/`latest`, a cursor in response_metadata.next_cursor
    // (https://docs.slack.dev/reference/methods/conversations.history). Metadata only with
    // include_all_metadata (https://docs.slack.dev/messaging/message-metadata).
    'conversations.history': (body) => {
      const channel = str(body.channel);
      if (!channel || !fake.channels.has(channel)) return fail('channel_not_found');
      const all = fake
        .messagesIn(channel)
        .filter((m) => !m.thread_ts || m.reply_broadcast)
        .sort(byTs)
        .reverse();
      const { shown, more, next } = page(all, body, 100, 999);
      return ok({
        messages: shown.map((m) => shownMessage(m, bool(body.include_all_metadata))),
        has_more: more,
        response_metadata: { next_cursor: next },
      });
    },
    // A thread, oldest first: the parent, then its replies; `ts` must be an existing message
    // (https://docs.slack.dev/reference/methods/conversations.replies), same paging as history.
    'conversations.replies': (body) => {
      const channel = str(body.channel);
      const ts = str(body.ts);
      if (!channel || !fake.channels.has(channel)) return fail('channel_not_found');
      const thread = fake
        .messagesIn(channel)
        .filter((m) => m.ts === ts || m.thread_ts === ts)
        .sort(byTs);
      if (!thread.some((m) => m.ts === ts)) return fail('thread_not_found');
      const { shown, more, next } = page(thread, body, 1000, 1000);
      return ok({
        messages: shown.map((m) => shownMessage(m, bool(body.include_all_metadata))),
        has_more: more,
        response_metadata: { next_cursor: next },
      });
    },
    'conversations.info': (body) => {
      const id = str(body.channel);
      if (!id || !fake.channels.has(id)) return fail('channel_not_found');
      const name = id.replace(/^C-?/, '').toLowerCase();
      const is_member = !fake.notInChannel.has(id);
      return ok({ channel: { id, name, is_channel: true, is_archived: false, is_member } });
    },
    // Name rules and name_taken as documented (https://docs.slack.dev/reference/methods/conversations.create);
    // public by default; the creator (the bot) is a member.
    'conversations.create': (body) => {
      const name = str(body.name);
      if (!name) return fail('invalid_name_required');
      if (name.length > 80) return fail('invalid_name_maxlength');
      if (!/^[a-z0-9_-]+$/.test(name)) return fail('invalid_name_specials');
      if ([...fake.conversations.values()].some((c) => c.name === name)) return fail('name_taken');
      const id = `C${nextTs().replace('.', '')}`;
      const made: SlackFakeConversation = {
        ...{ id, name, topic: '', purpose: '', is_archived: false, creator: 'U-bot' },
        members: new Set(['U-bot']),
      };
      fake.conversations.set(id, made);
      fake.channels.add(id);
      return ok({ channel: conversation(made) });
    },
    // Pages with a cursor; exclude_archived; `types` defaults to public_channel
    // (https://docs.slack.dev/reference/methods/conversations.list): limit at most 1000.
    'conversations.list': (body) => {
      const all = [...fake.conversations.values()].filter(
        (c) => !(bool(body.exclude_archived) && c.is_archived),
      );
      const limit = Math.min(Number(body.limit ?? 100) || 100, 1000);
      const from =
        Number(
          Buffer.from(str(body.cursor) ?? '', 'base64url')
            .toString()
            .replace('next:', ''),
        ) || 0;
      const more = from + limit < all.length;
      return ok({
        channels: all.slice(from, from + limit).map(conversation),
        response_metadata: {
          next_cursor: more ? Buffer.from(`next:${from + limit}`).toString('base64url') : '',
        },
      });
    },
    'conversations.join': (body) => {
      const made = fake.conversations.get(str(body.channel) ?? '');
      if (!made) return fail('channel_not_found');
      if (made.is_archived) return fail('is_archived');
      made.members.add('U-bot');
      return ok({ channel: conversation(made) });
    },
    // Topic at most 250 characters (too_long); the caller must be a member.
    'conversations.setTopic': (body) => {
      const made = fake.conversations.get(str(body.channel) ?? '');
      if (!made) return fail('channel_not_found');
      if (!made.members.has('U-bot')) return fail('not_in_channel');
      const topic = String(body.topic ?? '');
      if (topic.length > 250) return fail('too_long');
      made.topic = topic;
      return ok({ channel: conversation(made) });
    },
    // Users comma-separated (at most 1000). Without `force`, one bad user refuses the call and no
    // one is added; with it, the valid ones are added and the rest listed in `errors`, each
    // { user, ok: false, error } as Slack's spec for the method's error response has it
    // (https://docs.slack.dev/reference/methods/conversations.invite, the `force` argument); typed
    // with @slack/web-api's ConversationsInviteResponse, so the SDK checks the shape.
    'conversations.invite': (body) => {
      const made = fake.conversations.get(str(body.channel) ?? '');
      if (!made) return fail('channel_not_found');
      if (made.is_archived) return fail('is_archived');
      if (!made.members.has('U-bot')) return fail('not_in_channel');
      const users = String(body.users ?? '')
        .split(',')
        .filter(Boolean);
      if (!users.length) return fail('no_user');
      if (users.length > 1000) return fail('too_many_users');
      const problem = (u: string) =>
        u === 'U-bot'
          ? 'cant_invite_self'
          : !fake.users.has(u)
            ? 'user_not_found'
            : made.members.has(u)
              ? 'already_in_channel'
              : undefined;
      const errors: NonNullable<ConversationsInviteResponse['errors']> = users.flatMap((user) => {
        const error = problem(user);
        return error ? [{ user, ok: false, error }] : [];
      });
      if (errors.length && !bool(body.force)) return fail(errors[0]?.error as string, { errors });
      for (const u of users) if (!problem(u)) made.members.add(u);
      return errors.length
        ? fail(errors[0]?.error as string, { errors })
        : ok({ channel: conversation(made) });
    },
    'usergroups.users.list': (body) => {
      const users = fake.usergroups[str(body.usergroup) ?? ''];
      return users ? ok({ users: [...users] }) : fail('no_such_subteam');
    },
    'apps.connections.open': () => ok({ url: fake.socketUrl }),
  };

  function handle(method: string, body: Body, token: string | undefined, now: number, call: SlackFakeCall) {
    const channel = str(body.channel);
    if (channel && RATE_LIMITED.has(method) && now < (toldUntil.get(channel) ?? 0)) {
      call.early = true;
      earlyRetries++;
    }
    const scripted = failures.get(method)?.shift();
    if (scripted) {
      const { status = 200, error, extra } = scripted;
      if (status === 429)
        return tooSoon(channel, scripted.retryAfter ?? 1, now, { ...(error && { error }), ...extra });
      return { status, body: { ok: false, error: error ?? 'internal_error', ...extra } };
    }
    if (!token) return fail('not_authed');
    if (method === 'apps.connections.open') {
      if (!token.startsWith('xapp-')) return fail('not_allowed_token_type');
      if (!fake.appTokens.includes(token)) return fail('invalid_auth');
    } else if (!fake.tokens.includes(token)) return fail('invalid_auth');
    const run = methods[method];
    if (!run) return fail('unknown_method');
    const limit = fake.rateLimit;
    if (limit && channel && RATE_LIMITED.has(method) && fake.channels.has(channel)) {
      const gap = 1000 / limit.perChannelPerSecond;
      const last = lastAccepted.get(channel);
      if (last !== undefined && now - last < gap)
        return tooSoon(channel, Math.max(1, Math.ceil((last + gap - now) / 1000)), now);
    }
    const answer = run(body);
    if (answer.body.ok && channel && RATE_LIMITED.has(method)) lastAccepted.set(channel, now);
    return answer;
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const method = url.pathname.startsWith('/api/') ? url.pathname.slice(5) : undefined;
      const send = (a: Answer) => {
        res.writeHead(a.status, { 'Content-Type': 'application/json; charset=utf-8', ...a.headers });
        res.end(JSON.stringify(a.body));
      };
      if (!method) return send({ status: 404, body: { ok: false, error: 'not_found' } });
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: Body;
      try {
        body = parseBody(raw, req.headers['content-type'], url.searchParams);
      } catch {
        return send(fail('invalid_json'));
      }
      const now = Date.now();
      const call: SlackFakeCall = { method, body, headers: req.headers, at: now, status: 200, early: false };
      calls.push(call);
      const auth = req.headers.authorization;
      const token = auth?.startsWith('Bearer ') ? auth.slice(7) : str(body.token);
      const answer = handle(method, body, token, now, call);
      call.status = answer.status;
      send(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: SlackFake = {
    url: `http://127.0.0.1:${port}/api/`,
    tokens: options.tokens ?? ['xoxb-test'],
    appTokens: options.appTokens ?? ['xapp-test'],
    channels: new Set(options.channels ?? ['C-general', 'C-builds', 'C-deploys']),
    notInChannel: new Set(),
    usergroups: options.usergroups ?? { 'S-oncall': ['U-alice', 'U-bob'] },
    users: new Set(options.users ?? ['U-bot', 'U-alice', 'U-bob', 'U-carol']),
    conversations: new Map(),
    rateLimit: options.rateLimit,
    socketUrl: options.socketUrl ?? 'ws://127.0.0.1:9/fake-socket',
    calls,
    messages,
    ephemerals,
    get earlyRetries() {
      return earlyRetries;
    },
    messagesIn(channel) {
      const list = messages.get(channel) ?? [];
      messages.set(channel, list);
      return list;
    },
    userMessage(channel, message) {
      fake.messagesIn(channel).push({ channel, ...message, edits: 0 });
    },
    failNext(method, failure = {}) {
      const queue = failures.get(method) ?? [];
      queue.push(failure);
      failures.set(method, queue);
    },
    reset() {
      calls.length = 0;
      ephemerals.length = 0;
      messages.clear();
      failures.clear();
      for (const id of fake.conversations.keys()) fake.channels.delete(id);
      fake.conversations.clear();
      lastAccepted.clear();
      toldUntil.clear();
      earlyRetries = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return fake;
}
