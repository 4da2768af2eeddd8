/** Each conversation's service URL: its own once heard from, the configured one otherwise. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { conversationServiceUrls } from '../../../src/chat/teams/conversations.ts';
import type { ConversationStore } from '../../../src/core/conversations.ts';

function memoryStore(rows: [string, string][] = []) {
  const kept = new Map(rows);
  const puts: string[] = [];
  const store: ConversationStore = {
    list: async () => new Map(kept),
    put: async (_platform, conversation, ref) => {
      puts.push(conversation);
      kept.set(conversation, ref);
    },
  };
  return { store, puts };
}

const allowed = ['https://smba.trafficmanager.net/', 'https://smba.infra.gcc.teams.microsoft.com/'];
const fallback = 'https://smba.trafficmanager.net/teams/';

describe('Teams service URLs per conversation', () => {
  it('sends to a conversation through the URL it came from, the configured one when never heard from', async () => {
    const { store, puts } = memoryStore();
    const urls = conversationServiceUrls({ store, fallback, allowed });
    assert.equal(await urls.of('19:a@thread.tacv2'), fallback);
    await urls.remember('19:a@thread.tacv2', 'https://smba.trafficmanager.net/emea/', new Date());
    await urls.remember('19:a@thread.tacv2', 'https://smba.trafficmanager.net/emea/', new Date());
    assert.equal(await urls.of('19:a@thread.tacv2'), 'https://smba.trafficmanager.net/emea/');
    assert.deepEqual(puts, ['19:a@thread.tacv2'], 'written once, not on every activity');
    await urls.remember('19:a@thread.tacv2', 'https://smba.infra.gcc.teams.microsoft.com/', new Date());
    assert.equal(await urls.of('19:a@thread.tacv2'), 'https://smba.infra.gcc.teams.microsoft.com/');
    assert.equal(puts.length, 2, 'a moved conversation is written again');
  });

  it('reads what an earlier process kept, but never calls a URL taken off the allow-list since', async () => {
    const { store } = memoryStore([
      ['a:1', 'https://smba.trafficmanager.net/apac/'],
      ['a:2', 'https://old.example.com/'],
    ]);
    const urls = conversationServiceUrls({ store, fallback, allowed });
    assert.equal(await urls.of('a:1'), 'https://smba.trafficmanager.net/apac/');
    assert.equal(await urls.of('a:2'), fallback);
  });
});
