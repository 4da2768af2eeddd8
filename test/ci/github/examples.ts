/** Real webhook payloads from `@octokit/webhooks-examples`, deep-copied so tests can adjust them. */
import { createRequire } from 'node:module';

const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as {
  name: string;
  examples: Record<string, unknown>[];
}[];

// biome-ignore lint/suspicious/noExplicitAny: tests adjust example payloads field by field.
export type Payload = Record<string, any>;

export function example(event: string, pick: (e: Payload) => boolean = () => true): Payload {
  const found = examples.find((e) => e.name === event)?.examples.find(pick);
  if (!found) throw new Error(`no ${event} example matches`);
  return structuredClone(found);
}

/** The example's repository moved to `org/app`. */
export function inApp(payload: Payload, fullName = 'org/app'): Payload {
  payload.repository = { ...payload.repository, full_name: fullName, name: fullName.split('/')[1] };
  return payload;
}
