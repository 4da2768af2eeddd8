/** Roles from Mattermost group membership (`GET /users/{id}/groups`), cached per person. */
import type { ModuleLogger } from '../../modules/common.ts';
import type { MattermostClient } from './client.ts';

export interface GroupRoles {
  rolesFor(userId: string): Promise<string[]>;
}

export function createGroupRoles(o: {
  client: Pick<MattermostClient, 'userGroups'>;
  /** Group id (or name) → roles. */
  groups: Record<string, string[]>;
  ttlMs: number;
  logger: Pick<ModuleLogger, 'warn'>;
  now?: () => number;
}): GroupRoles {
  const now = o.now ?? Date.now;
  const cache = new Map<string, { roles: string[]; until: number }>();
  return {
    async rolesFor(userId) {
      const hit = cache.get(userId);
      if (hit && hit.until > now()) return hit.roles;
      try {
        const groups = await o.client.userGroups(userId);
        const roles = new Set<string>();
        for (const g of groups)
          for (const r of [...(o.groups[g.id] ?? []), ...(g.name ? (o.groups[g.name] ?? []) : [])])
            roles.add(r);
        const found = [...roles];
        cache.set(userId, { roles: found, until: now() + o.ttlMs });
        if (cache.size > 10_000) cache.delete(cache.keys().next().value as string);
        return found;
      } catch (error) {
        // Keep what we knew; without it, groups grant nothing until Mattermost answers.
        o.logger.warn({ err: (error as Error).message }, 'could not read Mattermost group membership');
        return hit?.roles ?? [];
      }
    },
  };
}
