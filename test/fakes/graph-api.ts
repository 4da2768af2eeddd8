/**
 * A local fake of the Microsoft Graph calls deckhand makes, following the documented contract:
 * - the Microsoft identity platform's client-credentials token endpoint
 *   (`POST /{tenant}/oauth2/v2.0/token`, scope `https://graph.microsoft.com/.default`;
 *   https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow);
 * - `POST /v1.0/users/{id}/checkMemberGroups` with `{ groupIds }` (at most 20), answering
 *   `{ value }` with the ids the user belongs to, through nested groups too (transitive), 404
 *   `Request_ResourceNotFound` for an unknown user, 400 `Request_BadRequest` for more than 20 ids
 *   or a malformed one (https://learn.microsoft.com/graph/api/user-checkmembergroups);
 * - throttling: 429 with `Retry-After` in seconds (https://learn.microsoft.com/graph/throttling);
 *   an outage answers 503 `serviceNotAvailable` with `Retry-After`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function startGraphFake(o: {
  tenant: string;
  clientId: string;
  clientSecret: string;
  /** Group id → its members: user object ids and nested group ids. */
  groups: Record<string, string[]>;
  /** Users the directory knows (members of no group included). */
  users: string[];
}) {
  const issued = new Set<string>();
  const calls: { path: string; status: number; groupIds?: string[] }[] = [];
  const state: { throttleSeconds?: number; outage: boolean } = { outage: false };
  let seq = 0;

  /** The groups `member` belongs to, directly or through groups it is in. */
  const memberOf = (member: string, seen = new Set<string>()): Set<string> => {
    for (const [group, members] of Object.entries(o.groups))
      if (members.includes(member) && !seen.has(group)) {
        seen.add(group);
        memberOf(group, seen);
      }
    return seen;
  };
  const send = (
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
    return status;
  };
  const graphError = (code: string, message: string) => ({ error: { code, message } });

  const handle = (req: http.IncomingMessage, path: string, body: string, res: http.ServerResponse) => {
    if (req.method === 'POST' && path === `/${o.tenant}/oauth2/v2.0/token`) {
      const form = new URLSearchParams(body);
      if (form.get('grant_type') !== 'client_credentials')
        return send(res, 400, { error: 'unsupported_grant_type' });
      if (form.get('client_id') !== o.clientId || form.get('client_secret') !== o.clientSecret)
        return send(res, 401, { error: 'invalid_client' });
      if (form.get('scope') !== 'https://graph.microsoft.com/.default')
        return send(res, 400, { error: 'invalid_scope' });
      const token = `graph-${++seq}`;
      issued.add(token);
      return send(res, 200, {
        token_type: 'Bearer',
        expires_in: 3599,
        ext_expires_in: 3599,
        access_token: token,
      });
    }
    const m = path.match(/^\/v1\.0\/users\/([^/]+)\/checkMemberGroups$/);
    if (!m || req.method !== 'POST')
      return send(res, 404, graphError('Request_ResourceNotFound', 'No such path.'));
    if (!issued.has(req.headers.authorization?.replace(/^Bearer /, '') ?? ''))
      return send(res, 401, graphError('InvalidAuthenticationToken', 'Access token is empty or invalid.'));
    if (state.outage)
      return send(res, 503, graphError('serviceNotAvailable', 'Service unavailable.'), {
        'retry-after': '10',
      });
    if (state.throttleSeconds !== undefined) {
      const seconds = state.throttleSeconds;
      state.throttleSeconds = undefined;
      return send(res, 429, graphError('TooManyRequests', 'Too many requests.'), {
        'retry-after': String(seconds),
      });
    }
    const user = decodeURIComponent(m[1] as string);
    const { groupIds } = JSON.parse(body || '{}') as { groupIds?: unknown };
    if (
      !Array.isArray(groupIds) ||
      groupIds.length > 20 ||
      groupIds.some((g) => typeof g !== 'string' || !GUID.test(g))
    )
      return send(res, 400, graphError('Request_BadRequest', 'Invalid groupIds.'));
    if (!o.users.includes(user))
      return send(res, 404, graphError('Request_ResourceNotFound', `Resource '${user}' does not exist.`));
    const member = memberOf(user);
    return send(res, 200, {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(Edm.String)',
      value: (groupIds as string[]).filter((g) => member.has(g)),
    });
  };

  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0] as string;
      let status: number;
      try {
        status = handle(req, path, body, res);
      } catch {
        status = send(res, 400, graphError('BadRequest', 'Unreadable body.'));
      }
      const groupIds = (() => {
        try {
          return (JSON.parse(body) as { groupIds?: string[] }).groupIds;
        } catch {
          return undefined;
        }
      })();
      calls.push({ path, status, ...(groupIds ? { groupIds } : {}) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    env: { TEAMS_GRAPH_URL: url, TEAMS_GRAPH_TOKEN_URL: `${url}/${o.tenant}/oauth2/v2.0/token` },
    calls,
    /** Membership can change while deckhand caches it. */
    groups: o.groups,
    /** The next membership call answers 429 with this Retry-After. */
    throttleNext(seconds: number) {
      state.throttleSeconds = seconds;
    },
    /** Every membership call answers 503 until turned off. */
    outage(on: boolean) {
      state.outage = on;
    },
    membershipCalls: () => calls.filter((c) => c.path.endsWith('/checkMemberGroups')),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type GraphFake = Awaited<ReturnType<typeof startGraphFake>>;
