/**
 * Roles from Microsoft Entra ID groups: which of the configured groups a person belongs to
 * (directly or through nested groups), asked of Microsoft Graph with an application token and
 * cached per person. `POST /v1.0/users/{id}/checkMemberGroups` takes at most 20 group ids and
 * answers `{ value: [the ids the user is a member of] }`; application permissions User.Read.All
 * and GroupMember.Read.All. https://learn.microsoft.com/graph/api/user-checkmembergroups
 * A failure grants no extra roles (fail closed) and is logged; a 429 or 503 is not asked again
 * before its Retry-After (https://learn.microsoft.com/graph/throttling).
 */
import type { ModuleLogger } from '../../modules/common.ts';

export interface GroupRoles {
  rolesFor(aadObjectId: string): Promise<string[]>;
}

export class GraphError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** The Graph calls deckhand makes. */
export function graphClient(o: { graphUrl: string; token: () => Promise<string> }) {
  const base = o.graphUrl.replace(/\/+$/, '');
  return {
    /** Of `groupIds` (at most 20), the ones `userId` is a member of, transitively. */
    async checkMemberGroups(userId: string, groupIds: string[]): Promise<string[]> {
      const res = await fetch(`${base}/v1.0/users/${encodeURIComponent(userId)}/checkMemberGroups`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await o.token()}`, 'content-type': 'application/json' },
        body: JSON.stringify({ groupIds }),
        signal: AbortSignal.timeout(10_000),
      });
      const body = (await res.json().catch(() => ({}))) as { value?: unknown; error?: { code?: unknown } };
      if (!res.ok) {
        const seconds = Number(res.headers.get('retry-after'));
        const code = typeof body.error?.code === 'string' ? ` (${body.error.code})` : '';
        throw new GraphError(
          `Microsoft Graph answered ${res.status}${code}`,
          Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined,
        );
      }
      if (!Array.isArray(body.value)) throw new GraphError('Microsoft Graph answered without a value');
      return body.value.filter((v): v is string => typeof v === 'string');
    },
  };
}

export function createGroupRoles(o: {
  client: Pick<ReturnType<typeof graphClient>, 'checkMemberGroups'>;
  /** Entra group object id → roles. */
  groups: Record<string, string[]>;
  ttlMs: number;
  logger: Pick<ModuleLogger, 'warn'>;
  now?: () => number;
}): GroupRoles {
  const now = o.now ?? Date.now;
  const ids = Object.keys(o.groups);
  const cache = new Map<string, { roles: string[]; until: number }>();
  let quietUntil = 0;
  const ask = async (user: string) => {
    const member = new Set<string>();
    for (let i = 0; i < ids.length; i += 20)
      for (const id of await o.client.checkMemberGroups(user, ids.slice(i, i + 20))) member.add(id);
    return [...new Set([...member].flatMap((id) => o.groups[id] ?? []))];
  };
  return {
    async rolesFor(user) {
      const hit = cache.get(user);
      if (hit && hit.until > now()) return hit.roles;
      if (quietUntil > now()) return [];
      try {
        const roles = await ask(user);
        cache.set(user, { roles, until: now() + o.ttlMs });
        if (cache.size > 10_000) cache.delete(cache.keys().next().value as string);
        return roles;
      } catch (error) {
        const retryAfterMs = error instanceof GraphError ? error.retryAfterMs : undefined;
        if (retryAfterMs) quietUntil = now() + retryAfterMs;
        o.logger.warn(
          { err: (error as Error).message, ...(retryAfterMs ? { retryAfterMs } : {}) },
          'could not read Entra group membership from Microsoft Graph; no group roles granted',
        );
        return [];
      }
    },
  };
}
