/** Announces stored messages on the event stream, keeping parents' reply counts current. */
import type { EventHub } from './event-hub.ts';
import { parseMessageId, type WebchatRow, type WebchatStore } from './message-store.ts';
import { renderWebchat, type WebchatMessageView } from './render.ts';

/** Renders rows the way the API lists them (reply counts on top-level messages). */
export async function renderRows(store: WebchatStore, rows: WebchatRow[]): Promise<WebchatMessageView[]> {
  const topLevel = rows.filter((row) => row.threadId === null).map((row) => row.id);
  const counts = await store.replyCounts(topLevel);
  return rows.map((row) =>
    renderWebchat(row, row.threadId === null ? (counts.get(String(row.id)) ?? 0) : undefined),
  );
}

/** Broadcasts a created or updated row; a newly created reply also re-sends its parent's reply count. */
export type Publish = (row: WebchatRow, created: boolean) => Promise<WebchatMessageView>;

/** Builds the publish function over a store and a hub. */
export function createPublisher(store: WebchatStore, hub: EventHub): Publish {
  return async (row, created) => {
    const [view] = await renderRows(store, [row]);
    if (!view) throw new Error(`message ${row.id} could not be rendered`);
    hub.broadcast('message', view);
    const parentId = created ? parseMessageId(row.threadId) : undefined;
    const parent = parentId === undefined ? undefined : await store.get(parentId);
    if (parent) {
      const [parentView] = await renderRows(store, [parent]);
      if (parentView) hub.broadcast('message', parentView);
    }
    return view;
  };
}
