/**
 * Inbound: each activity's Bot Framework JWT, checked with `jose` against the signing keys named
 * in Bot Framework's OpenID metadata (fetched once, then cached; jose refetches the key set when
 * a token names an unknown key, which is how rotation arrives): RS256, issuer
 * https://api.botframework.com, audience the app id, expiry with five minutes' skew, and a
 * `serviceUrl` claim equal to the activity's. Outbound: a client-credentials token, cached until
 * shortly before it expires.
 * https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication
 */
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { BOT_FRAMEWORK } from './settings.ts';

export type Verdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

export function inboundAuth(o: {
  appId: string;
  openIdUrl: string;
  now?: () => number;
  /** How long after a fetch an unknown key cannot trigger another (default 30 s, against floods). */
  cooldownMs?: number;
}) {
  let keys: ReturnType<typeof createRemoteJWKSet> | undefined;
  const keySet = async () => {
    if (keys) return keys;
    const res = await fetch(o.openIdUrl, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`OpenID metadata answered ${res.status}`);
    const { jwks_uri } = (await res.json()) as { jwks_uri?: unknown };
    if (typeof jwks_uri !== 'string') throw new Error('OpenID metadata has no jwks_uri');
    keys = createRemoteJWKSet(new URL(jwks_uri), {
      cacheMaxAge: 24 * 60 * 60 * 1000,
      cooldownDuration: o.cooldownMs ?? 30_000,
    });
    return keys;
  };
  return async (authorization: string | undefined, serviceUrl: string): Promise<Verdict> => {
    const token = authorization?.match(/^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/)?.[1];
    if (!token) return { ok: false, status: 401, reason: 'no bearer token' };
    try {
      const { payload } = await jwtVerify(token, await keySet(), {
        issuer: BOT_FRAMEWORK.issuer,
        audience: o.appId,
        algorithms: ['RS256'],
        clockTolerance: 300,
        requiredClaims: ['exp'],
        ...(o.now ? { currentDate: new Date(o.now()) } : {}),
      });
      if (payload.serviceUrl !== serviceUrl)
        return { ok: false, status: 403, reason: 'the token was issued for another service URL' };
      return { ok: true };
    } catch (error) {
      if (error instanceof errors.JOSEError) return { ok: false, status: 401, reason: error.code };
      return { ok: false, status: 401, reason: `signing keys unavailable: ${(error as Error).message}` };
    }
  };
}

/** Client-credentials tokens for the Bot Connector, one request per hour or so. */
export function outboundToken(o: {
  tokenUrl: string;
  appId: string;
  appPassword: string;
  now?: () => number;
}) {
  const now = o.now ?? Date.now;
  let cached: { token: string; until: number } | undefined;
  let pending: Promise<string> | undefined;
  const fetchToken = async () => {
    const res = await fetch(o.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: o.appId,
        client_secret: o.appPassword,
        scope: BOT_FRAMEWORK.scope,
      }).toString(),
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await res.json().catch(() => ({}))) as {
      access_token?: unknown;
      expires_in?: unknown;
      error?: unknown;
    };
    if (!res.ok || typeof body.access_token !== 'string')
      throw new Error(
        `the token endpoint answered ${res.status}${typeof body.error === 'string' ? ` (${body.error})` : ''}`,
      );
    const seconds = Number(body.expires_in) || 3600;
    // Renewed five minutes early, so a token never expires in flight.
    cached = { token: body.access_token, until: now() + Math.max(60, seconds - 300) * 1000 };
    return body.access_token;
  };
  return (): Promise<string> => {
    if (cached && cached.until > now()) return Promise.resolve(cached.token);
    pending ??= fetchToken().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}
