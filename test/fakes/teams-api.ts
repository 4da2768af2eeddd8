/**
 * A local fake of the Bot Framework services deckhand uses, following their documented contract:
 * OpenID metadata and a rotating JWKS whose keys carry `endorsements` (the channels each may sign
 * for), at Bot Framework's own paths (https://login.botframework.com/v1/.well-known/openidconfiguration
 * and .../keys); the client-credentials token endpoint; and the Bot Connector's conversation
 * activities (create, update) under regional service URLs (`/amer/`, `/emea/`, `/apac/`, `/teams/`),
 * with bearer tokens it issued and Teams' per-thread rate limit (429 with Retry-After beyond 7 a
 * second). A channel thread is addressed as the Teams SDK addresses it, by the conversation id
 * `<channel>;messageid=<root>` (`@microsoft/teams.apps` dist/utils/thread.js, App.reply); a body's
 * `replyToId` alone is recorded but threads nothing.
 * It also mints inbound tokens, genuine and forged; their service URL claim is spelled `serviceurl`,
 * as in real tokens (botbuilder-js AuthenticationConstants.ServiceUrlClaim).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

export interface FakeActivity {
  id: string;
  /** The channel or chat, without `;messageid=`. */
  conversation: string;
  /** The thread's root, when posted to `<conversation>;messageid=<root>`. */
  replyToId?: string;
  /** The service URL it was posted through. */
  serviceUrl: string;
  text?: string;
  attachments?: {
    contentType: string;
    content: { body?: unknown[]; actions?: { title: string; verb?: string }[] };
  }[];
  edits: number;
}

export interface FakeTeamsCall {
  method: string;
  path: string;
  thread?: string;
  status: number;
  at: number;
  early: boolean;
}

type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

const TOKEN_PATH = '/botframework.com/oauth2/v2.0/token';

/** Regions the fake answers for, as in https://smba.trafficmanager.net/<region>/. */
export const REGIONS = ['teams', 'amer', 'emea', 'apac'] as const;

export async function startTeamsFake(o: { appId: string; appPassword: string; perThreadPerSecond?: number }) {
  // Bot Framework's published keys carry no `alg`; each has `endorsements` (the channels it signs for).
  const signing: { kid: string; key: Key; jwk: JWK & { endorsements: string[] }; alg: string }[] = [];
  const addKey = async (o: { endorsements?: string[]; alg?: 'RS256' | 'RS512'; current?: boolean } = {}) => {
    const alg = o.alg ?? 'RS256';
    const pair = await generateKeyPair(alg, { extractable: true });
    const kid = `key-${signing.length + 1}`;
    const entry = {
      kid,
      alg,
      key: pair.privateKey,
      jwk: {
        ...(await exportJWK(pair.publicKey)),
        kid,
        use: 'sig',
        endorsements: o.endorsements ?? ['msteams'],
      },
    };
    // A key added for a forgery is published but does not become the one genuine tokens use.
    if (o.current === false) signing.unshift(entry);
    else signing.push(entry);
    return { kid, key: pair.privateKey };
  };
  await addKey();
  const issued = new Set<string>();
  const activities = new Map<string, FakeActivity>();
  const calls: FakeTeamsCall[] = [];
  const limits = { perThreadPerSecond: o.perThreadPerSecond };
  const windows = new Map<string, { start: number; count: number }>();
  const blockedUntil = new Map<string, number>();
  let tokenRequests = 0;
  const fail: { next?: number } = {};
  const keysDown = { on: false, requests: 0 };
  let seq = 0;

  const send = (res: http.ServerResponse, status: number, body?: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body === undefined ? '' : JSON.stringify(body));
    return status;
  };
  const limited = (thread: string, res: http.ServerResponse) => {
    const limit = limits.perThreadPerSecond;
    if (!limit) return false;
    const now = Date.now();
    let w = windows.get(thread);
    if (!w || now - w.start >= 1000) {
      w = { start: now, count: 0 };
      windows.set(thread, w);
    }
    w.count += 1;
    if (w.count <= limit) return false;
    blockedUntil.set(thread, w.start + 1000);
    res.setHeader('retry-after', '1');
    send(res, 429, { error: { code: 'ThrottledRequest', message: 'Too many requests' } });
    return true;
  };

  const handle = (
    req: http.IncomingMessage,
    path: string,
    body: string,
    res: http.ServerResponse,
    base: string,
  ): number => {
    if (path === '/v1/.well-known/openidconfiguration' && req.method === 'GET')
      return send(res, 200, {
        issuer: 'https://api.botframework.com',
        authorization_endpoint: 'https://invalid.botframework.com',
        jwks_uri: `${base}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      });
    if (path === '/v1/.well-known/keys') keysDown.requests++;
    if (path === '/v1/.well-known/keys' && req.method === 'GET' && keysDown.on)
      return send(res, 503, { error: 'unavailable' });
    if (path === '/v1/.well-known/keys' && req.method === 'GET')
      return send(res, 200, { keys: signing.map((k) => k.jwk) });
    // The multi-tenant bot's token endpoint (login.microsoftonline.com/botframework.com/oauth2/v2.0/token).
    if (path === TOKEN_PATH && req.method === 'POST') {
      tokenRequests++;
      const form = new URLSearchParams(body);
      if (
        form.get('grant_type') !== 'client_credentials' ||
        form.get('client_id') !== o.appId ||
        form.get('client_secret') !== o.appPassword
      )
        return send(res, 401, { error: 'invalid_client' });
      // A token for another resource is issued, but the Bot Connector does not take it.
      const forConnector = form.get('scope') === 'https://api.botframework.com/.default';
      const token = `bf-${++seq}-${Math.random().toString(36).slice(2)}`;
      if (forConnector) issued.add(token);
      return send(res, 200, {
        token_type: 'Bearer',
        expires_in: 3600,
        ext_expires_in: 3600,
        access_token: token,
      });
    }
    const m = path.match(/^\/([a-z]+)\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/);
    if (m && !(REGIONS as readonly string[]).includes(m[1] as string))
      return send(res, 404, { error: { code: 'NotFound' } });
    if (!m) return send(res, 404, { error: { code: 'NotFound' } });
    const bearer = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
    if (!issued.has(bearer)) return send(res, 401, { error: { code: 'Unauthorized' } });
    if (fail.next) {
      const status = fail.next;
      fail.next = undefined;
      if (status === 429) res.setHeader('retry-after', '2');
      return send(res, status, { error: { code: 'Scripted' } });
    }
    const [conversation = '', root] = decodeURIComponent(m[2] as string).split(';messageid=');
    const activityId = m[3];
    const parsed = JSON.parse(body || '{}') as Partial<FakeActivity>;
    const thread = `${conversation}#${root ?? activityId ?? ''}`;
    if (limited(thread, res)) return 429;
    if (req.method === 'PUT' && activityId) {
      const existing = activities.get(activityId);
      if (!existing || existing.conversation !== conversation)
        return send(res, 404, { error: { code: 'ActivityNotFound' } });
      existing.text = parsed.text;
      existing.attachments = parsed.attachments;
      existing.edits++;
      return send(res, 200, { id: existing.id });
    }
    if (req.method === 'POST') {
      if (JSON.stringify(parsed).length > 28_000)
        return send(res, 413, { error: { code: 'MessageSizeTooBig' } });
      const id = `1${String(Date.now()).slice(-9)}${String(++seq).padStart(4, '0')}`;
      activities.set(id, {
        id,
        conversation,
        ...(root ? { replyToId: root } : {}),
        serviceUrl: `${base}/${m[1]}/`,
        text: parsed.text,
        attachments: parsed.attachments,
        edits: 0,
      });
      return send(res, 201, { id });
    }
    return send(res, 405, {});
  };

  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0] as string;
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      let status: number;
      try {
        status = handle(req, path, body, res, base);
      } catch {
        status = send(res, 400, { error: { code: 'BadArgument' } });
      }
      const m = path.match(/^\/[a-z]+\/v3\/conversations\/([^/;]+)/);
      const thread = m ? decodeURIComponent(m[1] as string) : undefined;
      const early =
        thread !== undefined &&
        [...blockedUntil].some(([k, until]) => k.startsWith(thread) && until > Date.now() && status !== 429);
      calls.push({ method: req.method ?? '', path, thread, status, at: Date.now(), early });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const serviceUrl = `${base}/teams/`;

  /** A token as Bot Framework signs an activity's, with `change` applied (forgeries). */
  const mint = async (
    change: {
      aud?: string;
      iss?: string;
      serviceUrl?: string;
      expiresIn?: number;
      key?: Key | Uint8Array;
      kid?: string;
      alg?: string;
    } = {},
  ) => {
    const current = signing[signing.length - 1] as (typeof signing)[0];
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ serviceurl: change.serviceUrl ?? serviceUrl })
      .setProtectedHeader({ alg: change.alg ?? 'RS256', kid: change.kid ?? current.kid, typ: 'JWT' })
      .setIssuer(change.iss ?? 'https://api.botframework.com')
      .setAudience(change.aud ?? o.appId)
      .setIssuedAt(now - 5)
      .setNotBefore(now - 5)
      .setExpirationTime(now + (change.expiresIn ?? 3600))
      .sign(change.key ?? current.key);
  };

  return {
    url: base,
    serviceUrl,
    /** The service URL of a region (`amer`, `emea`, `apac`; `teams` is the global one). */
    serviceUrlOf: (region: (typeof REGIONS)[number]) => `${base}/${region}/`,
    env: {
      TEAMS_APP_ID: o.appId,
      TEAMS_APP_PASSWORD: o.appPassword,
      TEAMS_SERVICE_URL: serviceUrl,
      TEAMS_OPENID_URL: `${base}/v1/.well-known/openidconfiguration`,
      TEAMS_TOKEN_URL: `${base}${TOKEN_PATH}`,
    },
    calls,
    activities,
    limits,
    tokenRequests: () => tokenRequests,
    /** The key set answers 503 while on; how often it was asked. */
    keysDown: (on: boolean) => {
      keysDown.on = on;
    },
    keyRequests: () => keysDown.requests,
    /** The next connector call fails with this status (a 429 asks for 2 s). */
    failNext(status: number) {
      fail.next = status;
    },
    mint,
    /** A new signing key, published beside the old one (as Bot Framework rotates). */
    rotate: () => addKey(),
    /** A published key endorsed only for these channels (not the one genuine tokens use). */
    publishKey: (endorsements: string[], alg: 'RS256' | 'RS512' = 'RS256') =>
      addKey({ endorsements, alg, current: false }),
    /** A key nobody published. */
    strangerKey: async () => (await generateKeyPair('RS256')).privateKey,
    /** A conversation's activities, oldest first. */
    activitiesIn: (conversation: string) =>
      [...activities.values()].filter((a) => a.conversation === conversation),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type TeamsFake = Awaited<ReturnType<typeof startTeamsFake>>;
