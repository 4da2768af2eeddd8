/**
 * Inbound: each activity's Bot Framework JWT, checked with `jose` against the signing keys named
 * in Bot Framework's OpenID metadata (cached a day; refetched when a token names an unknown key,
 * which is how rotation arrives): RS256, issuer https://api.botframework.com, audience the app id,
 * expiry with five minutes' skew, the key endorsed for the activity's channel, and the token's
 * `serviceurl` claim equal to the activity's service URL.
 * https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication
 * Outbound: a client-credentials token, cached until shortly before it expires.
 */
import { createLocalJWKSet, decodeProtectedHeader, errors, type JWK, jwtVerify } from 'jose';
import { BOT_FRAMEWORK } from './settings.ts';

export type Verdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/** What the token is checked against: the activity it came with. */
export interface Presented {
  serviceUrl: string;
  channelId: string;
}

/** A key of the OpenID metadata's JWKS; Bot Framework adds the channels it may sign for. */
type EndorsedJwk = JWK & { endorsements?: unknown };

/**
 * The service URL as `@microsoft/teams.apps` compares it (dist/middleware/auth/jwt-validator.js,
 * validateServiceUrl): one trailing slash dropped, lower-cased.
 */
export const normaliseServiceUrl = (url: string) => url.replace(/\/$/, '').toLowerCase();

/**
 * Whether a key may sign for `channelId`: its `endorsements` must name it. botbuilder-js
 * (libraries/botframework-connector/src/auth/endorsementsValidator.ts, applied in
 * jwtTokenExtractor.ts validateToken) skips the check for a key without endorsements and for an
 * activity without a channel; deckhand refuses both (every Bot Framework key carries them).
 */
export function endorsed(jwk: EndorsedJwk, channelId: string): boolean {
  return (
    channelId.trim() !== '' &&
    Array.isArray(jwk.endorsements) &&
    jwk.endorsements.some((e) => e === channelId)
  );
}

export function inboundAuth(o: {
  appId: string;
  openIdUrl: string;
  now?: () => number;
  /** How long after a fetch an unknown key cannot trigger another (default 30 s, against floods). */
  cooldownMs?: number;
}) {
  const now = o.now ?? Date.now;
  const cooldown = o.cooldownMs ?? 30_000;
  const maxAge = 24 * 60 * 60 * 1000;
  let jwksUri: string | undefined;
  let keys: { list: EndorsedJwk[]; at: number } | undefined;
  let pending: Promise<void> | undefined;
  /** When the key set was last asked for, whatever came of it. */
  let tried = Number.NEGATIVE_INFINITY;

  const get = async (url: string) => {
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok)
      throw new Error(`${url === o.openIdUrl ? 'OpenID metadata' : 'the key set'} answered ${res.status}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const refresh = async () => {
    if (!jwksUri) {
      const { jwks_uri } = await get(o.openIdUrl);
      if (typeof jwks_uri !== 'string') throw new Error('OpenID metadata has no jwks_uri');
      jwksUri = jwks_uri;
    }
    const { keys: list } = await get(jwksUri);
    if (!Array.isArray(list)) throw new Error('the key set has no keys');
    keys = { list: list.filter((k): k is EndorsedJwk => !!k && typeof k === 'object'), at: now() };
  };
  const reload = () => {
    tried = now();
    pending ??= refresh().finally(() => {
      pending = undefined;
    });
    return pending;
  };
  /** The published key named `kid`, refetching once (per cooldown) when it is not known yet. */
  const keyFor = async (kid: string) => {
    if (!keys) await reload();
    // A day-old key set is refreshed; while Bot Framework cannot be reached, the old keys serve.
    else if (now() - keys.at > maxAge && now() - tried >= cooldown) await reload().catch(() => undefined);
    let found = keys?.list.find((k) => k.kid === kid);
    if (!found && keys && now() - tried >= cooldown) {
      await reload().catch(() => undefined);
      found = keys?.list.find((k) => k.kid === kid);
    }
    return found;
  };

  /** With no activity (a body that does not parse), only the token itself is checked. */
  return async (authorization: string | undefined, activity?: Presented): Promise<Verdict> => {
    const token = authorization?.match(/^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/)?.[1];
    if (!token) return { ok: false, status: 401, reason: 'no bearer token' };
    try {
      const { kid } = decodeProtectedHeader(token);
      if (typeof kid !== 'string') return { ok: false, status: 401, reason: 'the token names no key' };
      let jwk: EndorsedJwk | undefined;
      try {
        jwk = await keyFor(kid);
      } catch (error) {
        return { ok: false, status: 401, reason: `signing keys unavailable: ${(error as Error).message}` };
      }
      if (!jwk)
        return { ok: false, status: 401, reason: 'the token names a key Bot Framework does not publish' };
      const { endorsements: _, ...key } = jwk;
      const { payload } = await jwtVerify(token, createLocalJWKSet({ keys: [key] }), {
        issuer: BOT_FRAMEWORK.issuer,
        audience: o.appId,
        algorithms: ['RS256'],
        clockTolerance: 300,
        requiredClaims: ['exp'],
        currentDate: new Date(now()),
      });
      if (!activity) return { ok: true };
      if (!endorsed(jwk, activity.channelId))
        return {
          ok: false,
          status: 401,
          reason: `the signing key is not endorsed for channel "${activity.channelId}"`,
        };
      // The claim is `serviceurl` in real tokens (botbuilder-js AuthenticationConstants.ServiceUrlClaim;
      // @microsoft/teams.api JsonWebToken reads payload['serviceurl']), whatever the REST docs' prose says.
      const claimed = payload.serviceurl;
      if (
        typeof claimed !== 'string' ||
        normaliseServiceUrl(claimed) !== normaliseServiceUrl(activity.serviceUrl)
      )
        return { ok: false, status: 403, reason: 'the token was issued for another service URL' };
      return { ok: true };
    } catch (error) {
      if (error instanceof errors.JOSEError) return { ok: false, status: 401, reason: error.code };
      return { ok: false, status: 401, reason: 'the token cannot be read' };
    }
  };
}
/** Client-credentials tokens for the Bot Connector (or, with `scope`, Microsoft Graph), one request per hour or so. */
export function outboundToken(o: {
  tokenUrl: string;
  appId: string;
  appPassword: string;
  /** Bot Framework's by default. */
  scope?: string;
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
        scope: o.scope ?? BOT_FRAMEWORK.scope,
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
