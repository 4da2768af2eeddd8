/**
 * No secret at rest: the stores a driver returns, wrapped so that everything written passes the
 * redactor first — runs (log tails, commit messages, test names), deployments, held requests and
 * their previews, locks' reasons, the outbox's errors, the web chat's messages, audit entries.
 * (Intake records are redacted as they are taken in, outbox messages as they are queued.) The
 * redactor is shared, so secrets a reload adds are masked from then on.
 */
import type { Redactor } from './redact.ts';
import type { Stores } from './store.ts';

export function redactAtRest(stores: Stores, redactor: Redactor): Stores {
  const value = <T>(v: T): T => redactor.redactValue(v);
  const text = (t: string) => redactor.redact(t);
  const maybe = (t: string | undefined) => (t === undefined ? t : text(t));
  const { runs, deployments, audit, outbox, locks, gateRequests, transcript } = stores;
  return {
    ...stores,
    runs: {
      ...runs,
      create: (run, at) => runs.create(value(run), at),
      save: (run) => runs.save(value(run)),
    },
    deployments: {
      ...deployments,
      create: (d, at) => deployments.create(value(d), at),
    },
    audit: {
      ...audit,
      append: (entry, options) => audit.append(value(entry), options),
    },
    outbox: {
      ...outbox,
      retry: (id, at, error, inDoubt) => outbox.retry(id, at, text(error), inDoubt),
      failed: (id, error) => outbox.failed(id, text(error)),
    },
    locks: {
      ...locks,
      acquire: (lock, now) => locks.acquire(value(lock), now),
    },
    gateRequests: {
      ...gateRequests,
      create: (request, at) => gateRequests.create(value(request), at),
      advance: (id, stage, now, to) => gateRequests.advance(id, stage, now, value(to)),
      vote: (id, vote, now, complete) => gateRequests.vote(id, value(vote), now, complete),
      finish: (id, status, runId, reason) => gateRequests.finish(id, status, runId, maybe(reason)),
    },
    transcript: {
      ...transcript,
      insert: (message, at) => transcript.insert(value(message), at),
      updateBody: (id, body, at) => transcript.updateBody(id, text(body), at),
    },
  };
}
