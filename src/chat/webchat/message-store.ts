/** The web chat's messages: kept by the store driver as the core's transcript. */
import type { TranscriptMessage, TranscriptStore } from '../../core/store.ts';

/** One stored web chat message. */
export type WebchatRow = TranscriptMessage;

/** Database access for web chat messages. */
export type WebchatStore = TranscriptStore;

/** Parses a platform message id ("12") into a row id; undefined when it is not one. */
export function parseMessageId(value: string | number | undefined | null): number | undefined {
  const text = String(value ?? '');
  if (!/^[1-9][0-9]{0,15}$/.test(text)) return undefined;
  const id = Number(text);
  return Number.isSafeInteger(id) ? id : undefined;
}
