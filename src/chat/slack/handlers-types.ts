/** What Slack's transports (HTTP and Socket Mode) hand to the adapter's handlers, and get back. */

/** A slash command's fields, as Slack sends them (form fields over HTTP, `body` over Socket Mode). */
export interface SlashCommandBody {
  command: string;
  text: string;
  user_id: string;
  user_name?: string;
  channel_id: string;
  channel_name?: string;
  team_id?: string;
  response_url?: string;
  trigger_id?: string;
  api_app_id?: string;
}

/** The JSON body of an ack: posted by Slack as the command's reply. */
export interface AckBody {
  response_type?: 'in_channel' | 'ephemeral';
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
}

/** An Events API callback (`event_callback`). */
export interface EventCallback {
  type: 'event_callback';
  event_id: string;
  team_id?: string;
  event: {
    type: string;
    user?: string;
    text?: string;
    channel?: string;
    ts?: string;
    thread_ts?: string;
    bot_id?: string;
  };
}

/**
 * How a request came: over HTTP its signature, which is the replay key of a body that carries no
 * id of its own (Socket Mode's envelopes come over an authenticated socket and need none).
 */
export interface Arrival {
  signature?: string;
}

/** The handlers both transports call; each returns quickly (the work continues afterwards). */
export interface SlackHandlers {
  /** A slash command; resolves to the ack body within Slack's 3-second deadline. */
  command(body: SlashCommandBody, arrival?: Arrival): Promise<AckBody>;
  /** An interactive payload (e.g. `block_actions`); nothing to send back in the ack. */
  interaction(payload: unknown, arrival?: Arrival): Promise<void>;
  /** An Events API callback; duplicates (retries) are ignored by `event_id`. */
  event(callback: EventCallback): Promise<void>;
}
