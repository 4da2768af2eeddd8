/** How a platform reaches each conversation, as the platform last said (Teams: its Bot Connector service URL). */
export interface ConversationStore {
  /** The references kept for a platform's conversations, by conversation id. */
  list(platform: string): Promise<Map<string, string>>;
  /** Keeps a conversation's reference; resolves once it is on disk. */
  put(platform: string, conversation: string, ref: string, at: Date): Promise<void>;
}
