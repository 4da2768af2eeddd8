/**
 * Mattermost's REST API v4 with a bot token (https://api.mattermost.com/): posts, threads
 * (`root_id`) and in-place updates (`PUT /posts/{id}/patch`). Failures come back as
 * DeliveryErrors; the outbox owns retries and pacing.
 */
import { DeliveryError } from '../../core/ports.ts';

/** A call that hangs this long fails, so one stuck call cannot hold a channel's queue. */
const TIMEOUT_MS = 30_000;

export interface MattermostPostBody {
  channel_id: string;
  message: string;
  root_id?: string;
  props?: Record<string, unknown>;
}

export interface MattermostPostRecord {
  id: string;
  channel_id: string;
  root_id?: string;
  message: string;
  props?: Record<string, unknown>;
}

/** A refusal with Mattermost's HTTP status and error id (`store.sql_channel.save_channel.exists.app_error`…). */
export class MattermostRefusal extends DeliveryError {
  constructor(
    message: string,
    readonly status: number,
    readonly errorId: string | undefined,
    retryAfterMs?: number,
    permanent = false,
  ) {
    super(message, retryAfterMs, permanent);
  }
}

/** A channel as `POST /channels` and `GET /teams/{id}/channels/name/{name}` return it (the fields used). */
export interface MattermostChannelRecord {
  id: string;
  team_id: string;
  name: string;
  display_name?: string;
  type: string;
  header?: string;
  purpose?: string;
  delete_at?: number;
}

/** What each refusal means; retrying cannot help these. */
const PERMANENT: Record<number, string> = {
  400: 'Mattermost refused the post as malformed; this is a deckhand rendering bug, please report it.',
  401: 'the bot token was refused; check MATTERMOST_BOT_TOKEN.',
  403: 'the bot may not post here; add the bot account to the channel (or team).',
  404: 'the channel or post does not exist, or the bot cannot see it; check the channel id in deckhand.yaml.',
  413: 'the post is larger than Mattermost accepts; this is a deckhand rendering bug, please report it.',
};

/** Seconds to wait from a 429: `Retry-After`, else `X-Ratelimit-Reset` (Mattermost's limiter sends both). */
function retryAfterMs(headers: Headers): number {
  const seconds = Number(headers.get('retry-after') ?? headers.get('x-ratelimit-reset') ?? '1');
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds * 1000) : 1000;
}

/**
 * Mattermost limits the bot's token, not a channel
 * (https://docs.mattermost.com/configure/rate-limiting-configuration-settings.html). Once its
 * answers carry `X-Ratelimit-*` (the limiter is on), calls go one at a time and none is sent while
 * the budget is spent; without them (the default), calls go as they come.
 */
function rateGate() {
  let on = false;
  let remaining = Number.POSITIVE_INFINITY;
  let resetAt = 0;
  let queue: Promise<void> = Promise.resolve();
  const observe = (res: Response): Response => {
    const left = res.headers.get('x-ratelimit-remaining');
    if (left !== null) {
      on = true;
      remaining = Number(left);
      resetAt = Date.now() + retryAfterMs(res.headers);
    }
    if (res.status === 429) {
      remaining = 0;
      resetAt = Date.now() + retryAfterMs(res.headers);
    }
    return res;
  };
  return async (send: () => Promise<Response>): Promise<Response> => {
    if (!on) return observe(await send());
    const before = queue;
    let release = () => {};
    queue = new Promise((resolve) => {
      release = resolve;
    });
    await before;
    try {
      const wait = resetAt - Date.now();
      if (wait > 0 && remaining <= 0)
        throw new DeliveryError("waiting for Mattermost's rate limit to reset", wait);
      return observe(await send());
    } finally {
      release();
    }
  };
}

export function createMattermostClient(o: { url: string; token: string }) {
  const gated = rateGate();
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    let res: Response;
    try {
      res = await gated(() =>
        fetch(`${o.url}/api/v4${path}`, {
          method,
          headers: {
            authorization: `Bearer ${o.token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        }),
      );
    } catch (error) {
      if (error instanceof DeliveryError) throw error;
      throw new DeliveryError(`Mattermost could not be reached: ${(error as Error).message}`);
    }
    if (res.ok) return (await res.json()) as T;
    const detail = (await res.json().catch(() => ({}))) as { id?: unknown };
    const id = typeof detail.id === 'string' ? detail.id : undefined;
    const code = id ? ` (${id})` : '';
    const refusal = (message: string, wait?: number, permanent = false) =>
      new MattermostRefusal(message, res.status, id, wait, permanent);
    if (res.status === 429) throw refusal(`Mattermost rate limit${code}`, retryAfterMs(res.headers));
    const permanent = PERMANENT[res.status];
    if (permanent) throw refusal(`${method} ${path.split('?')[0]}: ${permanent}${code}`, undefined, true);
    throw refusal(`Mattermost answered ${res.status}${code}`);
  };
  return {
    createPost: (body: MattermostPostBody) => call<MattermostPostRecord>('POST', '/posts', body),
    patchPost: (id: string, patch: { message: string; props: Record<string, unknown> }) =>
      call<MattermostPostRecord>('PUT', `/posts/${encodeURIComponent(id)}/patch`, patch),
    /**
     * A channel's newest posts, or with `since` (ms) every post changed after it, up to 1000
     * (`since` must not be used with paging: https://docs.mattermost.com/api/reference/get-posts-for-channel).
     */
    channelPosts: (channel: string, page: { perPage: number } | { since: number }) =>
      call<{ order: string[]; posts: Record<string, MattermostPostRecord> }>(
        'GET',
        `/channels/${encodeURIComponent(channel)}/posts?${'since' in page ? `since=${Math.max(1, Math.floor(page.since))}` : `per_page=${page.perPage}`}`,
      ),
    thread: (root: string) =>
      call<{ order: string[]; posts: Record<string, MattermostPostRecord> }>(
        'GET',
        `/posts/${encodeURIComponent(root)}/thread`,
      ),
    /** https://developers.mattermost.com/api-documentation/#/operations/CreateChannel */
    createChannel: (body: {
      team_id: string;
      name: string;
      display_name: string;
      type: 'O' | 'P';
      purpose?: string;
      header?: string;
    }) => call<MattermostChannelRecord>('POST', '/channels', body),
    /** https://developers.mattermost.com/api-documentation/#/operations/GetChannelByName */
    channelByName: (team: string, name: string) =>
      call<MattermostChannelRecord>(
        'GET',
        `/teams/${encodeURIComponent(team)}/channels/name/${encodeURIComponent(name)}`,
      ),
    /** https://developers.mattermost.com/api-documentation/#/operations/AddChannelMember (one `user_id`). */
    addChannelMember: (channel: string, user: string) =>
      call<{ channel_id: string; user_id: string }>(
        'POST',
        `/channels/${encodeURIComponent(channel)}/members`,
        { user_id: user },
      ),
    userGroups: (user: string) =>
      call<{ id: string; name?: string }[]>('GET', `/users/${encodeURIComponent(user)}/groups`),
  };
}

export type MattermostClient = ReturnType<typeof createMattermostClient>;
