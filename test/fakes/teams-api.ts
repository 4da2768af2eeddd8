/**
 * A local fake of the Bot Framework services deckhand uses, following their documented contract:
 * OpenID metadata and a rotating JWKS (what signs inbound activity tokens), the client-credentials
 * token endpoint, and the Bot Connector's conversation activities (create, reply, update) with
 * bearer tokens it issued and Teams' per-thread rate limit (429 with Retry-After beyond 7 a second).
 * It also mints inbound tokens, genuine and forged.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

export interface FakeActivity {
  id: string;
  conversation: string;
  replyToId?: string;
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

export async function startTeamsFake(o: { appId: string; appPassword: string; perThreadPerSecond?: number }) {
  const signing: { kid: string; key: Key; jwk: JWK }[] = [];
  const addKey = async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    const kid = `key-${signing.length + 1}`;
    signing.push({
      kid,
      key: pair.privateKey,
      jwk: { ...(await exportJWK(pair.publicKey)), kid, use: 'sig', alg: 'RS256' },
    });
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
    if (path === '/openid' && req.method === 'GET')
      return send(res, 200, {
        issuer: 'https://api.botframework.com',
        jwks_uri: `${base}/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
      });
    if (path === '/keys' && req.method === 'GET')
      return send(res, 200, { keys: signing.map((k) => ({ ...k.jwk, endorsements: ['msteams'] })) });
    if (path === '/token' && req.method === 'POST') {
      tokenRequests++;
      const form = new URLSearchParams(body);
      if (
        form.get('grant_type') !== 'client_credentials' ||
        form.get('client_id') !== o.appId ||
        form.get('client_secret') !== o.appPassword
      )
        return send(res, 401, { error: 'invalid_client' });
      const token = `bf-${++seq}-${Math.random().toString(36).slice(2)}`;
      issued.add(token);
      return send(res, 200, {
        token_type: 'Bearer',
        expires_in: 3600,
        ext_expires_in: 3600,
        access_token: token,
      });
    }
    const m = path.match(/^\/teams\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/);
    if (!m) return send(res, 404, { error: { code: 'NotFound' } });
    const bearer = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
    if (!issued.has(bearer)) return send(res, 401, { error: { code: 'Unauthorized' } });
    if (fail.next) {
      const status = fail.next;
      fail.next = undefined;
      if (status === 429) res.setHeader('retry-after', '2');
      return send(res, status, { error: { code: 'Scripted' } });
    }
    const conversation = decodeURIComponent(m[1] as string);
    const parsed = JSON.parse(body || '{}') as Partial<FakeActivity>;
    const thread = `${conversation}#${parsed.replyToId ?? m[2] ?? ''}`;
    if (limited(thread, res)) return 429;
    if (req.method === 'PUT' && m[2]) {
      const existing = activities.get(m[2]);
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
      const replyToId = parsed.replyToId ?? m[2];
      activities.set(id, {
        id,
        conversation,
        replyToId,
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
      const m = path.match(/^\/teams\/v3\/conversations\/([^/]+)/);
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
      key?: Key;
      kid?: string;
    } = {},
  ) => {
    const current = signing[signing.length - 1] as (typeof signing)[0];
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ serviceUrl: change.serviceUrl ?? serviceUrl })
      .setProtectedHeader({ alg: 'RS256', kid: change.kid ?? current.kid, typ: 'JWT' })
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
    env: {
      TEAMS_APP_ID: o.appId,
      TEAMS_APP_PASSWORD: o.appPassword,
      TEAMS_SERVICE_URL: serviceUrl,
      TEAMS_OPENID_URL: `${base}/openid`,
      TEAMS_TOKEN_URL: `${base}/token`,
    },
    calls,
    activities,
    limits,
    tokenRequests: () => tokenRequests,
    /** The next connector call fails with this status (a 429 asks for 2 s). */
    failNext(status: number) {
      fail.next = status;
    },
    mint,
    /** A new signing key, published beside the old one (as Bot Framework rotates). */
    rotate: addKey,
    /** A key nobody published. */
    strangerKey: async () => (await generateKeyPair('RS256')).privateKey,
    /** A conversation's activities, oldest first. */
    activitiesIn: (conversation: string) =>
      [...activities.values()].filter((a) => a.conversation === conversation),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type TeamsFake = Awaited<ReturnType<typeof startTeamsFake>>;
