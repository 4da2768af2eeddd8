/** The permission stage every command passes through; it explains each decision it makes. */
import type { PersonInfo } from './people.ts';

export interface Decision {
  allowed: boolean;
  /** The rule that decided, for the audit log and `--explain`. */
  rule: string;
  /** A sentence for the person when denied. */
  reason?: string;
}

export interface PolicyRequest {
  person: PersonInfo | undefined;
  platform: string;
  userId: string;
  channel: string;
  command: string;
  args: Record<string, string | undefined>;
}

/** Role- and channel-based rules arrive with the policy engine; today every configured person may act. */
export function decide(request: PolicyRequest): Decision {
  if (!request.person) {
    return {
      allowed: false,
      rule: 'unknown-user',
      reason:
        `Sorry, I don't know you yet (${request.platform} user \`${request.userId}\`). ` +
        `Ask an admin to add you under \`people\` in deckhand.yaml with \`chat: { ${request.platform}: ${request.userId} }\`.`,
    };
  }
  return { allowed: true, rule: 'known-person' };
}
