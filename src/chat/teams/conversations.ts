/**
 * Each conversation's Bot Connector service URL: Teams serves a tenant from its region
 * (`https://smba.trafficmanager.net/amer/`, `/emea/`, `/apac/`, government clouds) and every
 * activity says which; the answer and later notifications go back through it. Kept on disk before
 * the activity is acknowledged, so a restart still sends there; the configured service URL serves a
 * conversation never heard from.
 * https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#base-uri
 */
import type { ConversationStore } from '../../core/conversations.ts';
import { serviceUrlAllowed } from './settings.ts';

export interface ServiceUrls {
  /** Keeps the service URL a conversation's activity came through (on the allow-list already). */
  remember(conversation: string, serviceUrl: string, at: Date): Promise<void>;
  /** Where to reach a conversation: its own service URL while it is allowed, else the configured one. */
  of(conversation: string): Promise<string>;
}

export function conversationServiceUrls(o: {
  store: ConversationStore;
  /** The configured service URL. */
  fallback: string;
  allowed: readonly string[];
}): ServiceUrls {
  let known: Promise<Map<string, string>> | undefined;
  const load = () => {
    known ??= o.store.list('teams').catch((error: unknown) => {
      known = undefined;
      throw error;
    });
    return known;
  };
  return {
    async remember(conversation, serviceUrl, at) {
      const urls = await load();
      if (urls.get(conversation) === serviceUrl) return;
      await o.store.put('teams', conversation, serviceUrl, at);
      urls.set(conversation, serviceUrl);
    },
    async of(conversation) {
      const url = (await load()).get(conversation);
      // A URL taken off the allow-list since is not called.
      return url && serviceUrlAllowed(url, o.allowed) ? url : o.fallback;
    },
  };
}
