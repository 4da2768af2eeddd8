/**
 * A token cache for `@octokit/auth-app` that honours each installation token's `expires_at`.
 * auth-app keeps tokens for a fixed 59 minutes whatever GitHub says; installation tokens live one
 * hour at most and can be shorter (https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-an-installation-access-token-for-a-github-app),
 * so a token that expires within `marginMs` counts as absent and auth-app asks for a new one.
 */
import type { Clock } from '../../core/ports.ts';

/** Refresh this long before a token's `expires_at`. */
export const refreshMarginMs = 5 * 60_000;

/** The cache, keyed as auth-app keys it (installation, repositories, permissions). */
export class ExpiringTokenCache {
  private readonly entries = new Map<string, string>();

  constructor(
    private readonly clock: Clock,
    private readonly marginMs = refreshMarginMs,
    private readonly limit = 1000,
  ) {}

  /** auth-app stores `token|createdAt|expiresAt|…`; an empty answer means "not cached". */
  get(key: string): string {
    const value = this.entries.get(key);
    if (!value) return '';
    const expiresAt = Date.parse(value.split('|')[2] ?? '');
    if (!Number.isFinite(expiresAt) || expiresAt - this.clock.now().getTime() <= this.marginMs) {
      this.entries.delete(key);
      return '';
    }
    return value;
  }

  set(key: string, value: string): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value as string);
  }
}
