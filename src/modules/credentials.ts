/**
 * The one rule for credentials: a module that runs needs every credential it uses, present and of
 * the shape its vendor issues. Each module lists what is missing or malformed (its `credentials()`),
 * and `start` refuses to run while anything is listed. A message names the variable (or the config
 * key it came from) and the shape expected, never the value.
 */

export interface CredentialCheck {
  /** The conventional environment variable (`SLACK_BOT_TOKEN`). */
  variable: string;
  /** The config key that may hold it instead (`slack.botToken`). */
  key?: string;
  /** Whether the value came from that key (the message then names the key). */
  fromKey?: boolean;
  value: string | undefined;
  /** What it should be, as a phrase: "a bot token starting xoxb-". */
  expected: string;
  /** Whether a present value has the expected shape (any non-empty value by default). */
  valid?: (value: string) => boolean;
  /** Absent is fine (an optional part): only a present value is checked. */
  optional?: boolean;
}

/** Adds a sentence to `problems` when the credential is missing or malformed. */
export function checkCredential(problems: string[], c: CredentialCheck): void {
  const value = c.value?.trim();
  if (!value) {
    if (!c.optional) problems.push(`${c.variable} is not set: ${c.expected}${c.key ? ` (or ${c.key})` : ''}`);
    return;
  }
  if (c.valid && !c.valid(value))
    problems.push(`${c.fromKey && c.key ? c.key : c.variable} is not ${c.expected}`);
}

/** An http(s) URL (what a base URL setting must be). */
export const isHttpUrl = (value: string): boolean => {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
};

/** A GUID (Microsoft app and tenant ids): 8-4-4-4-12 hex digits. */
export const isGuid = (value: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
