/** Roles from Slack user group membership (`usergroups.users.list`), cached. */
import type { WebClient } from '@slack/web-api';

export interface UsergroupRoles {
  rolesFor(userId: string): Promise<string[]>;
}

export function createUsergroupRoles(options: {
  client: Pick<WebClient, 'usergroups'>;
  /** group id → roles */
  groups: Record<string, string[]>;
  ttlMs: number;
  now?: () => number;
  logger: { warn(o: object, m?: string): void };
}): UsergroupRoles {
  const cache = new Map<string, { members: Set<string>; until: number }>();
  const now = options.now ?? Date.now;
  const members = async (group: string): Promise<Set<string>> => {
    const hit = cache.get(group);
    if (hit && hit.until > now()) return hit.members;
    try {
      const res = await options.client.usergroups.users.list({ usergroup: group });
      const set = new Set(res.users ?? []);
      cache.set(group, { members: set, until: now() + options.ttlMs });
      return set;
    } catch (error) {
      // Keep using what we knew; without it, the group grants nothing until Slack answers.
      options.logger.warn(
        { group, err: (error as Error).message },
        'could not read Slack user group members',
      );
      return hit?.members ?? new Set();
    }
  };
  return {
    async rolesFor(userId) {
      const roles = new Set<string>();
      for (const [group, granted] of Object.entries(options.groups)) {
        if ((await members(group)).has(userId)) for (const r of granted) roles.add(r);
      }
      return [...roles];
    },
  };
}
