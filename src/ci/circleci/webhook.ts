/**
 * `POST /webhooks/circleci`: CircleCI's outbound webhooks through the shared intake path, verified
 * on the raw body before anything else is read, recorded once per payload `id` (CircleCI may deliver
 * an event twice; a non-2xx answer is retried later), and acted on from the record.
 * https://circleci.com/docs/webhooks/#communication-protocol
 */
import type { Clock } from '../../core/ports.ts';
import { jsonBody, type WebhookSpec } from '../webhook-route.ts';
import {
  type CircleciEvent,
  type CircleciEventType,
  CircleciPayloadError,
  circleciEventTypes,
  eventType,
  parseCircleciEvent,
} from './parse.ts';
import { verifyCircleciSignature } from './verify.ts';

export interface CircleciRouteOptions {
  /** The webhook's secret token; without one every delivery is refused. */
  secret?: string;
  clock: Clock;
  /** Largest accepted body (default 256 KiB; CircleCI's events are a few KiB). */
  bodyLimit?: number;
  /** Why an event is of no interest (e.g. an unknown project), or undefined to act on it. */
  ignore(event: CircleciEvent): string | undefined;
}

/** The intake source of CircleCI's deliveries. */
export const circleciSource = 'circleci';

/** The route, on the shared intake path; a delivery CircleCI repeats is answered 200 and taken no more. */
export function circleciWebhook(o: CircleciRouteOptions): WebhookSpec {
  return {
    source: circleciSource,
    path: '/webhooks/circleci',
    bodyLimit: o.bodyLimit ?? 256 * 1024,
    notJson: 'CircleCI webhooks are JSON.',
    verify: (raw, header) => verifyCircleciSignature(o.secret, raw, header('circleci-signature')),
    parse(raw, header) {
      let event: CircleciEvent;
      try {
        const body = jsonBody(raw);
        const type = eventType(body);
        const announced = header('circleci-event-type');
        if (announced && announced !== type)
          return {
            kind: 'invalid',
            reason: `The circleci-event-type header says ${announced}, the payload ${type}.`,
          };
        if (!circleciEventTypes.includes(type as CircleciEventType))
          return { kind: 'ignore', reason: `event type ${type}` };
        event = parseCircleciEvent(body, o.clock.now());
      } catch (error) {
        if (error instanceof CircleciPayloadError) return { kind: 'invalid', reason: error.message };
        throw error;
      }
      const ignored = o.ignore(event);
      if (ignored) return { kind: 'ignore', reason: ignored };
      // One pipeline's deliveries are turned into updates one at a time, in arrival order.
      return { kind: 'record', key: event.pipeline.id, data: event, delivery: event.id };
    },
    answers: {
      recorded: { status: 202, body: { accepted: true } },
      duplicate: () => ({ status: 200, body: { ignored: 'duplicate delivery' } }),
      ignored: (reason) => ({ status: 200, body: { ignored: reason } }),
    },
  };
}

/** A recorded event, its time a date again. */
export function reviveEvent(data: unknown): CircleciEvent {
  const event = data as CircleciEvent & { at: string };
  return { ...event, at: new Date(event.at) };
}
