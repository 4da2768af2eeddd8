/**
 * A local fake of Mattermost's REST API v4 for what deckhand calls (posts, patches, channel posts,
 * threads, user groups, incident channels and their members), following its documented contract:
 * bearer tokens, 16,383-character posts, `root_id` naming a root post, 429 with `X-Ratelimit-*` and `Retry-After` when a token goes too fast.
 * It also builds the requests Mattermost itself sends to deckhand (slash commands, button clicks).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakePost {
  id: string;
  channel_id: string;
  user_id: string;
  root_id: string;
  message: string;
  props: Record<string, unknown>;
  create_at: number;
  /** When it was last changed (a patch). */
  update_at: number;
  edits: number;
}

export interface FakeCall {
  method: string;
  path: string;
  /** The channel a post or patch went to. */
  channel?: string;
  status: number;
  /** When it was answered (ms since the epoch). */
  at: number;
  /** Whether it came before the wait a 429 had asked for. */
  early: boolean;
}

/** Mattermost ids: 26 lowercase letters and digits. */
export const mattermostId = () =>
  Array.from(randomBytes(26), (b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('');

export interface MattermostFakeOptions {
  channels: string[];
  /** Bot tokens accepted, each with its bot user id. */
  tokens?: Record<string, string>;
  /** Group memberships: user id → groups. */
  groups?: Record<string, { id: string; name: string }[]>;
  /** Requests a token may make per second before a 429 (Mattermost's limiter is off by default). */
  perSecond?: number;
  /** The team channels can be created in (its id). */
  team?: string;
  /** The team's people by user id (besides the bot); others are unknown to the server. */
  users?: string[];
}

/** A channel created through `POST /channels`, as the server returns it (the fields deckhand reads). */
export interface FakeChannel {
  id: string;
  team_id: string;
  name: string;
  display_name: string;
  type: 'O' | 'P';
  purpose: string;
  header: string;
  creator_id: string;
  /** Non-zero once archived: then `GET …/channels/name/{name}` answers 404. */
  delete_at: number;
  members: Set<string>;
}

export async function startMattermostFake(o: MattermostFakeOptions) {
  const tokens = o.tokens ?? { 'mm-bot-token': 'bot-user' };
  const channels = new Set(o.channels);
  const posts = new Map<string, FakePost>();
  const calls: FakeCall[] = [];
  const windows = new Map<string, { start: number; count: number }>();
  /** When a token's budget resets, and when it was told so (its first 429 of the window). */
  const blockedUntil = new Map<string, number>();
  const toldAt = new Map<string, number>();
  const fail: { next?: number; retryAfter?: number } = {};
  const team = o.team ?? 'teamteamteamteamteamteam01';
  const users = new Set([...Object.values(tokens), ...(o.users ?? [])]);
  const created = new Map<string, FakeChannel>();
  const shownChannel = ({ members: _m, ...c }: FakeChannel) => c;
  const limits = { perSecond: o.perSecond };

  const error = (res: http.ServerResponse, status: number, id: string, message: string) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id, message, status_code: status, request_id: mattermostId() }));
    return status;
  };
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
    return status;
  };
  /** Clients never see a button's integration: the server keeps it (in an encrypted cookie). */
  const forClient = (p: FakePost) => {
    const attachments = (p.props.attachments as { actions?: { integration?: unknown }[] }[] | undefined)?.map(
      (a) => ({ ...a, actions: a.actions?.map(({ integration: _i, ...rest }) => rest) }),
    );
    return { ...p, props: { ...p.props, ...(attachments ? { attachments } : {}) } };
  };
  const list = (found: FakePost[]) => ({
    order: found.map((p) => p.id),
    posts: Object.fromEntries(found.map((p) => [p.id, forClient(p)])),
  });

  /**
   * Counts the call against the token's one-second window and sets the `X-Ratelimit-*` headers
   * Mattermost's limiter sends on every answer; true when the call is over the limit.
   */
  const limited = (token: string, res: http.ServerResponse): boolean => {
    const limit = limits.perSecond;
    if (!limit) return false;
    const now = Date.now();
    let w = windows.get(token);
    if (!w || now - w.start >= 1000) {
      w = { start: now, count: 0 };
      windows.set(token, w);
    }
    w.count += 1;
    const reset = Math.max(1, Math.ceil((w.start + 1000 - now) / 1000));
    res.setHeader('x-ratelimit-limit', String(limit));
    res.setHeader('x-ratelimit-remaining', String(Math.max(0, limit - w.count)));
    res.setHeader('x-ratelimit-reset', String(reset));
    if (w.count <= limit) return false;
    if ((blockedUntil.get(token) ?? 0) !== w.start + 1000) toldAt.set(token, now);
    blockedUntil.set(token, w.start + 1000);
    res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(reset) });
    res.end(
      JSON.stringify({
        id: 'api.context.rate_limit.app_error',
        message: 'Too many requests',
        status_code: 429,
      }),
    );
    return true;
  };

  const handle = (req: http.IncomingMessage, body: string, res: http.ServerResponse): number => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    const bot = tokens[token];
    if (!bot) return error(res, 401, 'api.context.session_expired.app_error', 'Invalid or expired session.');
    if (limited(token, res)) return 429;
    if (fail.next) {
      const status = fail.next;
      if (fail.retryAfter !== undefined) res.setHeader('retry-after', String(fail.retryAfter));
      fail.next = undefined;
      fail.retryAfter = undefined;
      return error(res, status, 'fake.scripted.app_error', 'Scripted failure.');
    }
    const path = url.pathname.replace(/^\/api\/v4/, '');
    const route = (method: string, re: RegExp) => (req.method === method ? path.match(re) : null);
    if (req.method === 'POST' && path === '/posts') {
      const p = JSON.parse(body || '{}') as Partial<FakePost>;
      if (!p.channel_id || !channels.has(p.channel_id))
        return error(
          res,
          403,
          'api.context.permissions.app_error',
          'You do not have the appropriate permissions.',
        );
      if ((p.message ?? '').length > 16_383)
        return error(res, 400, 'model.post.is_valid.msg.app_error', 'Invalid message.');
      if (p.root_id) {
        const root = posts.get(p.root_id);
        if (!root || root.root_id || root.channel_id !== p.channel_id)
          return error(res, 400, 'api.post.create_post.root_id.app_error', 'Invalid RootId parameter.');
      }
      const post: FakePost = {
        id: mattermostId(),
        channel_id: p.channel_id,
        user_id: bot,
        root_id: p.root_id ?? '',
        message: p.message ?? '',
        props: p.props ?? {},
        create_at: Date.now(),
        update_at: Date.now(),
        edits: 0,
      };
      posts.set(post.id, post);
      return json(res, 201, forClient(post));
    }
    const patched = route('PUT', /^\/posts\/([^/]+)\/patch$/);
    if (patched) {
      const post = posts.get(patched[1] ?? '');
      if (!post) return error(res, 404, 'app.post.get.app_error', 'Unable to get the post.');
      if (post.user_id !== bot) return error(res, 403, 'api.context.permissions.app_error', 'No permission.');
      const patch = JSON.parse(body || '{}') as { message?: string; props?: Record<string, unknown> };
      if ((patch.message ?? '').length > 16_383)
        return error(res, 400, 'model.post.is_valid.msg.app_error', 'Invalid message.');
      if (patch.message !== undefined) post.message = patch.message;
      if (patch.props !== undefined) post.props = patch.props;
      post.edits += 1;
      post.update_at = Date.now();
      return json(res, 200, forClient(post));
    }
    const channelPosts = route('GET', /^\/channels\/([^/]+)\/posts$/);
    if (channelPosts) {
      const channel = channelPosts[1] ?? '';
      if (!channels.has(channel))
        return error(res, 403, 'api.context.permissions.app_error', 'No permission.');
      // `since` (ms): every post modified after it, by create time, at most 1000; it must not be
      // used with page or per_page (https://docs.mattermost.com/api/reference/get-posts-for-channel).
      const since = url.searchParams.get('since');
      const inChannel = [...posts.values()].filter((p) => p.channel_id === channel);
      if (since !== null) {
        if (url.searchParams.has('page') || url.searchParams.has('per_page') || !(Number(since) > 0))
          return error(res, 400, 'api.context.invalid_url_param.app_error', 'Invalid or missing since.');
        const found = inChannel
          .filter((p) => p.update_at > Number(since))
          .sort((a, b) => a.create_at - b.create_at);
        return json(res, 200, list(found.slice(0, 1000)));
      }
      const perPage = Number(url.searchParams.get('per_page') ?? 60);
      return json(res, 200, list(inChannel.reverse().slice(0, perPage)));
    }
    const thread = route('GET', /^\/posts\/([^/]+)\/thread$/);
    if (thread) {
      const root = posts.get(thread[1] ?? '');
      if (!root) return error(res, 404, 'app.post.get.app_error', 'Unable to get the post.');
      return json(res, 200, list([root, ...[...posts.values()].filter((p) => p.root_id === root.id)]));
    }
    // Create a channel (https://developers.mattermost.com/api-documentation/#/operations/CreateChannel):
    // name 2–64 of a-z 0-9 - _ (model.Channel.IsValid), a display name, type O or P; a name the team
    // already has is 400 store.sql_channel.save_channel.exists.app_error (mattermost/server store.ChannelExistsError).
    if (req.method === 'POST' && path === '/channels') {
      const c = JSON.parse(body || '{}') as Partial<FakeChannel>;
      if (c.team_id !== team)
        return error(
          res,
          403,
          'api.context.permissions.app_error',
          'You do not have the appropriate permissions.',
        );
      if (!c.name || !/^[a-z0-9_-]{2,64}$/.test(c.name))
        return error(
          res,
          400,
          'model.channel.is_valid.2_or_more.app_error',
          'Name must be 2 or more lowercase alphanumeric characters.',
        );
      if (!c.display_name || c.display_name.length > 64)
        return error(res, 400, 'model.channel.is_valid.display_name.app_error', 'Invalid display name.');
      if (c.type !== 'O' && c.type !== 'P')
        return error(res, 400, 'model.channel.is_valid.type.app_error', 'Invalid type.');
      if ((c.purpose ?? '').length > 250 || (c.header ?? '').length > 1024)
        return error(res, 400, 'model.channel.is_valid.purpose.app_error', 'Invalid purpose or header.');
      if ([...created.values()].some((x) => x.team_id === team && x.name === c.name))
        return error(
          res,
          400,
          'store.sql_channel.save_channel.exists.app_error',
          'A channel with that name already exists on the same team.',
        );
      const channel: FakeChannel = {
        id: mattermostId(),
        team_id: team,
        name: c.name,
        display_name: c.display_name,
        type: c.type,
        purpose: c.purpose ?? '',
        header: c.header ?? '',
        creator_id: bot,
        delete_at: 0,
        members: new Set([bot]),
      };
      created.set(channel.id, channel);
      channels.add(channel.id);
      return json(res, 201, shownChannel(channel));
    }
    // https://developers.mattermost.com/api-documentation/#/operations/GetChannelByName: archived
    // channels only with include_deleted.
    const byName = route('GET', /^\/teams\/([^/]+)\/channels\/name\/([^/]+)$/);
    if (byName) {
      const found = [...created.values()].find(
        (x) => x.team_id === byName[1] && x.name === decodeURIComponent(byName[2] ?? ''),
      );
      if (!found || (found.delete_at && url.searchParams.get('include_deleted') !== 'true'))
        return error(res, 404, 'app.channel.get_by_name.missing.app_error', 'Channel does not exist.');
      return json(res, 200, shownChannel(found));
    }
    // https://developers.mattermost.com/api-documentation/#/operations/AddChannelMember: `user_id`
    // must be a valid id (400), an unknown user is 404, someone already in answers 201 all the same.
    const member = route('POST', /^\/channels\/([^/]+)\/members$/);
    if (member) {
      const channel = created.get(member[1] ?? '');
      const user = (JSON.parse(body || '{}') as { user_id?: unknown }).user_id;
      if (typeof user !== 'string' || !/^[a-z0-9]{26}$/.test(user))
        return error(
          res,
          400,
          'api.context.invalid_body_param.app_error',
          'Invalid or missing user_id in request body.',
        );
      if (!channel)
        return error(res, 404, 'app.channel.get.existing.app_error', 'Unable to find the existing channel.');
      if (!users.has(user))
        return error(res, 404, 'app.user.missing_account.const', 'Unable to find the user.');
      channel.members.add(user);
      return json(res, 201, {
        channel_id: channel.id,
        user_id: user,
        roles: 'channel_user',
        scheme_user: true,
      });
    }
    const groups = route('GET', /^\/users\/([^/]+)\/groups$/);
    if (groups) return json(res, 200, o.groups?.[groups[1] ?? ''] ?? []);
    return error(res, 404, 'api.context.404.app_error', 'Sorry, we could not find the page.');
  };

  const channelOf = (url: string, body: string): string | undefined => {
    const patched = url.match(/\/posts\/([^/]+)\/patch$/);
    if (patched) return posts.get(patched[1] ?? '')?.channel_id;
    try {
      const id = (JSON.parse(body) as { channel_id?: unknown }).channel_id;
      return typeof id === 'string' ? id : undefined;
    } catch {
      return undefined;
    }
  };

  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const auth = req.headers.authorization ?? '';
      const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
      // Early: sent while the budget was spent, after the client had been told (requests already
      // in flight when the first 429 went out, within 50 ms on loopback, could not know).
      const now = Date.now();
      const early = (blockedUntil.get(token) ?? 0) > now && now - (toldAt.get(token) ?? now) > 50;
      const channel = channelOf(req.url ?? '', body);
      const status = handle(req, body, res);
      calls.push({ method: req.method ?? '', path: req.url ?? '', channel, status, at: Date.now(), early });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    posts,
    /** Requests per second a token may make (undefined: no limit, Mattermost's default). */
    limits,
    /** The next call fails with this HTTP status (and `Retry-After`, in seconds, when given). */
    failNext(status: number, retryAfter?: number) {
      fail.next = status;
      fail.retryAfter = retryAfter;
    },
    /** The team channels can be created in. */
    team,
    /** Channels created through `POST /channels`, by id. */
    created,
    /** A channel's posts, oldest first, as stored (integrations included). */
    postsIn: (channel: string) => [...posts.values()].filter((p) => p.channel_id === channel),
    /** The form Mattermost posts to a custom slash command's URL. */
    slashCommand(p: {
      token: string;
      userId: string;
      userName?: string;
      channelId: string;
      line: string;
      rootId?: string;
    }) {
      const [command = '', ...rest] = p.line.split(' ');
      return new URLSearchParams({
        channel_id: p.channelId,
        channel_name: p.channelId,
        command,
        response_url: 'https://mattermost.test/hooks/commands/x',
        team_domain: 'team',
        team_id: 'team-id',
        text: rest.join(' '),
        token: p.token,
        trigger_id: mattermostId(),
        user_id: p.userId,
        user_name: p.userName ?? p.userId,
        ...(p.rootId ? { root_id: p.rootId } : {}),
      }).toString();
    },
    /** The JSON Mattermost posts to a button's integration URL when `userId` clicks `label` on a post. */
    click(userId: string, postId: string, label: string) {
      const post = posts.get(postId);
      const actions = (
        (post?.props.attachments ?? []) as {
          actions?: { name: string; integration: { url: string; context: unknown } }[];
        }[]
      ).flatMap((a) => a.actions ?? []);
      const action = actions.find((a) => a.name === label);
      if (!post || !action) throw new Error(`no ${label} button on Mattermost post ${postId}`);
      return {
        url: action.integration.url,
        body: {
          user_id: userId,
          user_name: userId,
          channel_id: post.channel_id,
          channel_name: post.channel_id,
          team_id: 'team-id',
          team_domain: 'team',
          post_id: post.id,
          trigger_id: mattermostId(),
          type: 'button',
          data_source: '',
          context: action.integration.context,
        },
      };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type MattermostFake = Awaited<ReturnType<typeof startMattermostFake>>;
