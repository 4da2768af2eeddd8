/**
 * Where a new incident lives on each platform of the incidents channel: a channel of its own
 * (`inc-<id>-<slug>`, created idempotently by name, on-call invited) where the platform can create
 * one, else the card's thread in the incidents channel (on-call mentioned there).
 */
import type { Logger } from '../outbox.ts';
import type { ChatSender } from '../ports.ts';
import type { Incident, IncidentPlace } from './types.ts';

/** `inc-42-api-latency-high`: lowercase letters, digits and dashes, at most 80 characters. */
export function roomName(id: number, title: string): string {
  const slug = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `inc-${id}${slug ? `-${slug}` : ''}`;
}

/** What opening places needs: the incidents channel's addresses, the senders, people's ids. */
export interface PlaceContext {
  /** The incidents channel's address on each platform. */
  addresses: { platform: string; channel: string }[];
  sender(platform: string): ChatSender | undefined;
  /** The platform user ids of these people there (those without one are left out). */
  userIds(platform: string, people: string[]): string[];
  logger: Pick<Logger, 'warn'>;
}

/** Opens (or finds again) each platform's place for the incident; `invite` are person ids. */
export async function openPlaces(
  incident: Incident,
  invite: string[],
  c: PlaceContext,
): Promise<{ places: IncidentPlace[]; notInvited: string[] }> {
  const places: IncidentPlace[] = [];
  const notInvited: string[] = [];
  for (const { platform, channel } of c.addresses) {
    const sender = c.sender(platform);
    if (sender?.createChannel && sender.capabilities.createChannels) {
      try {
        const created = await sender.createChannel({
          name: roomName(incident.id, incident.title),
          topic: `Incident #${incident.id}: ${incident.title}`.slice(0, 250),
          members: c.userIds(platform, invite),
        });
        places.push({ platform, channel, room: created.channel });
        notInvited.push(...created.notAdded);
        continue;
      } catch (err) {
        // Without the permission (or on a platform error) the incident lives in the card's thread.
        c.logger.warn({ err, platform }, 'could not create an incident channel; using a thread');
      }
    }
    places.push({ platform, channel, thread: true });
  }
  return { places, notInvited };
}

/** Adds people to an incident's channels (where it has them); returns nothing, reports failures in the log. */
export async function inviteToPlaces(incident: Incident, people: string[], c: PlaceContext): Promise<void> {
  for (const place of incident.places) {
    if (!place.room) continue;
    const sender = c.sender(place.platform);
    const ids = c.userIds(place.platform, people);
    if (!sender?.invite || ids.length === 0) continue;
    try {
      await sender.invite(place.room, ids);
    } catch (err) {
      c.logger.warn({ err, platform: place.platform }, 'could not invite to an incident channel');
    }
  }
}
