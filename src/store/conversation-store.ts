/** How each platform reaches a conversation, kept so a restart still answers it the same way. */
import type { ConversationStore } from '../core/conversations.ts';
import type { Db } from './db.ts';
import { DurableBatch } from './durable-batch.ts';

interface Ref {
  platform: string;
  conversation: string;
  ref: string;
  updated_at: string;
}

export function createConversationStore(db: Db, durable?: DurableBatch): ConversationStore {
  // Synced before it resolves: a platform keeps a reference before it acknowledges what carried it.
  const put = (durable ?? new DurableBatch(db)).writer<Ref, void>(async (tx, batch) => {
    for (const r of batch)
      await tx
        .insertInto('conversation_refs')
        .values(r)
        .onConflict((oc) =>
          oc.columns(['platform', 'conversation']).doUpdateSet({ ref: r.ref, updated_at: r.updated_at }),
        )
        .execute();
    return batch.map(() => undefined);
  });
  return {
    async list(platform) {
      const rows = await db
        .selectFrom('conversation_refs')
        .select(['conversation', 'ref'])
        .where('platform', '=', platform)
        .execute();
      return new Map(rows.map((r) => [r.conversation, r.ref]));
    },
    put: (platform, conversation, ref, at) =>
      put({ platform, conversation, ref, updated_at: at.toISOString() }),
  };
}
