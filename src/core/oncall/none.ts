/** The on-call of a deckhand without an `oncall:` section: no schedules, no policies. */
import type { OnCall } from './types.ts';

/** No schedules and no policies: nobody is on call and no level pages anyone. */
export const noOnCall: OnCall = {
  schedules: () => [],
  now: () => undefined,
  next: () => undefined,
  policy: () => undefined,
  page: () => [],
};
