/**
 * Incidents: alert groups become one incident each (a channel or thread, the on-call person
 * invited, a status card edited in place), and what people do to them from chat.
 */

import type { IncidentsConfig } from '../../config/incidents.ts';
import { UserError } from '../errors.ts';
import type { Message } from '../messages.ts';
import type { OnCall } from '../oncall/types.ts';
import type { Logger } from '../outbox.ts';
import type { Directory } from '../people.ts';
import type { ChatSender, Clock } from '../ports.ts';
import type { DeploymentStore, GateRequest, NewOutboxItem } from '../store.ts';
import { applyAlert } from './alert-updates.ts';
import { approvalDuringIncident } from './approvals.ts';
import { cardKey, incidentCard } from './card.ts';
import { recentDeploys } from './deploys.ts';
import { IncidentFreezes } from './freeze.ts';
import { inviteToPlaces, openPlaces, type PlaceContext } from './places.ts';
import { severityLabel } from './severity.ts';
import type { AlertGroup, Incident, IncidentEventKind, IncidentRole, IncidentStore } from './types.ts';

/** What the incident service needs. */
export interface IncidentServiceOptions {
  config: IncidentsConfig;
  store: IncidentStore;
  outbox: { enqueue(items: NewOutboxItem[]): Promise<void> };
  /** The incidents channel's address on each platform. */
  addresses: () => { platform: string; channel: string }[];
  sender(platform: string): ChatSender | undefined;
  directory: Pick<Directory, 'get' | 'mention'>;
  deployments: Pick<DeploymentStore, 'history'>;
  oncall?: OnCall;
  clock: Clock;
  logger: Pick<Logger, 'warn'>;
}

/** Whoever acts on an incident: a person id, or an alert source (`alertmanager`). */
export type Actor = string;

/** Incidents: opened from alerts or in chat, their places and cards, what people do to them. */
export class IncidentService {
  /** Deploys frozen by open incidents (`incidents.freezeSeverity`). */
  readonly freezes: IncidentFreezes;

  constructor(readonly o: IncidentServiceOptions) {
    this.freezes = new IncidentFreezes({
      severity: o.config.freezeSeverity,
      breakGlassRoles: o.config.breakGlassRoles,
    });
  }

  /** Reads the open incidents again (at start, and now and then: another process may have changed one). */
  async reload(): Promise<void> {
    this.freezes.replace(await this.o.store.open());
  }

  private get places(): PlaceContext {
    return {
      addresses: this.o.addresses(),
      sender: (p) => this.o.sender(p),
      userIds: (platform, people) =>
        people.flatMap((id) => {
          const user = this.o.directory.get(id)?.chat[platform] ?? (platform === 'webchat' ? id : undefined);
          return user ? [user] : [];
        }),
      logger: this.o.logger,
    };
  }

  /** The person on call in the configured schedule now, if any. */
  onCallNow(): string | undefined {
    const { schedule } = this.o.config;
    return schedule ? this.o.oncall?.now(schedule, this.o.clock.now())?.person : undefined;
  }

  /** Handles an alert notification taken in by a webhook (idempotent: a repeat changes nothing). */
  alert(group: AlertGroup): Promise<void> {
    return applyAlert(this, group);
  }

  /** Opens an incident, from an alert group or declared in chat. */
  async open(o: {
    title: string;
    severity?: number;
    environments?: string[];
    service?: string;
    groupKey?: string;
    source?: string;
    status?: 'firing' | 'resolved';
    alerts?: AlertGroup['alerts'];
    links?: AlertGroup['links'];
    by: Actor;
  }): Promise<Incident> {
    const now = this.o.clock.now();
    const incident = await this.o.store.create({
      title: o.title,
      severity: o.severity ?? this.o.config.defaultSeverity,
      status: 'open',
      groupKey: o.groupKey,
      source: o.source ?? 'declared',
      alertStatus: o.groupKey ? (o.status ?? 'firing') : undefined,
      alerts: o.alerts ?? [],
      links: o.links ?? [],
      environments: o.environments ?? [],
      service: o.service,
      roles: {},
      places: [],
      createdAt: now,
      createdBy: o.by,
      escalation: { level: 0, round: 0, nextAt: this.firstPageAt(now) },
    });
    await this.event(
      incident,
      'opened',
      o.by,
      `Opened: ${incident.title} (${severityLabel(incident.severity)})`,
    );
    return this.settle(incident);
  }

  /** Gives a new incident its places, its card and its first page; safe to run again after a crash. */
  async settle(incident: Incident): Promise<Incident> {
    const paged = this.pageTargets(0);
    const declarer = this.o.directory.get(incident.createdBy) ? [incident.createdBy] : [];
    const invite = [...new Set([...paged, ...declarer])];
    const { places } = await openPlaces(incident, invite, this.places);
    incident.places = places;
    await this.save(incident);
    const card = await this.card(incident);
    const items: NewOutboxItem[] = [];
    for (const p of places) {
      items.push({
        platform: p.platform,
        channel: p.channel,
        op: 'post',
        key: cardKey(incident.id),
        message: card,
      });
      if (p.room)
        items.push({
          platform: p.platform,
          channel: p.room,
          op: 'post',
          key: cardKey(incident.id),
          message: card,
        });
    }
    await this.o.outbox.enqueue(items);
    const names = paged.map((id) => this.o.directory.mention(id));
    const text = names.length
      ? `${names.join(', ')}: you are on call for this incident. Acknowledge with the button or \`/incident ack\`.`
      : `Nobody is on call for this incident (${this.o.config.schedule ? `no one is on call in schedule \`${this.o.config.schedule}\` now` : 'set `incidents.schedule` in the config'}). \`/incident assign commander @person\` gives it an owner.`;
    await this.say(incident, { status: names.length ? 'warning' : 'info', text }, 'opened');
    return incident;
  }

  /** Person ids level `level` of the escalation policy pages now (the schedule's on-call person without one). */
  pageTargets(level: number): string[] {
    const { escalation } = this.o.config;
    const now = this.o.clock.now();
    if (escalation && this.o.oncall?.policy(escalation)) return this.o.oncall.page(escalation, level, now);
    if (level > 0) return [];
    const person = this.onCallNow();
    return person ? [person] : [];
  }

  private firstPageAt(now: Date): Date | undefined {
    const policy = this.o.config.escalation ? this.o.oncall?.policy(this.o.config.escalation) : undefined;
    const first = policy?.levels[0];
    return first ? new Date(now.getTime() + first.afterMs) : undefined;
  }

  /** The incident a command is about: its channel's, the `--id` one, or the only open one. */
  async which(where: { platform: string; channel: string }, id?: number): Promise<Incident> {
    if (id !== undefined) {
      const found = await this.o.store.get(id);
      if (!found)
        throw new UserError(`There is no incident #${id}. \`/incident status\` lists the open ones.`);
      return found;
    }
    const here = await this.o.store.byRoom(where.platform, where.channel);
    if (here) return here;
    const open = await this.o.store.open();
    if (open.length === 1) return open[0] as Incident;
    if (open.length === 0) throw new UserError('No incident is open. `/incident declare <title>` opens one.');
    throw new UserError(
      `${open.length} incidents are open (${open.map((i) => `#${i.id}`).join(', ')}): say which with \`--id N\`.`,
    );
  }

  async ack(incident: Incident, by: Actor): Promise<string> {
    if (incident.status === 'resolved') throw new UserError(`Incident #${incident.id} is resolved already.`);
    if (incident.status === 'acknowledged')
      return `Incident #${incident.id} was acknowledged already by ${this.o.directory.mention(incident.ackedBy ?? '')}.`;
    incident.status = 'acknowledged';
    incident.ackedAt = this.o.clock.now();
    incident.ackedBy = by;
    incident.escalation = { ...incident.escalation, nextAt: undefined };
    await this.save(incident);
    const text = `Incident #${incident.id} acknowledged by ${this.o.directory.mention(by)}: paging stops.`;
    await this.event(incident, 'acknowledged', by, text);
    await this.refresh(incident);
    return text;
  }

  async resolve(incident: Incident, by: Actor, note?: string): Promise<string> {
    if (incident.status === 'resolved') throw new UserError(`Incident #${incident.id} is resolved already.`);
    incident.status = 'resolved';
    incident.resolvedAt = this.o.clock.now();
    incident.resolvedBy = by;
    incident.escalation = { ...incident.escalation, nextAt: undefined };
    await this.save(incident);
    const firing = incident.alertStatus === 'firing' ? ' Its alert is still firing.' : '';
    const text = `Incident #${incident.id} resolved by ${this.o.directory.mention(by)}${note ? `: ${note}` : '.'}${firing}`;
    await this.event(incident, 'resolved', by, text);
    await this.refresh(incident);
    return text;
  }

  async assign(incident: Incident, role: IncidentRole, person: string, by: Actor): Promise<string> {
    incident.roles = { ...incident.roles, [role]: person };
    await this.save(incident);
    await inviteToPlaces(incident, [person], this.places);
    const text = `${this.o.directory.mention(person)} is ${role} of incident #${incident.id}.`;
    await this.event(incident, 'role', by, text);
    await this.refresh(incident);
    return text;
  }

  async note(incident: Incident, by: Actor, text: string): Promise<void> {
    await this.event(incident, 'note', by, text);
  }

  /**
   * Pages a level: invited where there is a channel, mentioned in the incident; the post is keyed so
   * a retry posts it once. The caller records it on the timeline once it has moved the escalation on.
   */
  async page(
    incident: Incident,
    level: number,
    round: number,
    _by: Actor,
    tag = `page:${round}.${level}`,
  ): Promise<string> {
    const people = this.pageTargets(level);
    await inviteToPlaces(incident, people, this.places);
    const names = people.map((id) => this.o.directory.mention(id));
    const text = names.length
      ? `Paging ${names.join(', ')} (escalation level ${level + 1}) for incident #${incident.id}.`
      : `Escalation level ${level + 1} of incident #${incident.id} pages nobody right now.`;
    await this.say(incident, { status: 'warning', text }, tag);
    return text;
  }

  /** An approval requested for an environment an open incident touches: whoever is on call hears of it there. */
  async approvalNeeded(request: GateRequest): Promise<void> {
    const mention = (id: string) => this.o.directory.mention(id);
    const routing = { open: () => this.o.store.open(), onCallNow: () => this.onCallNow(), mention };
    await approvalDuringIncident({ ...routing, say: (i, m, tag) => this.say(i, m, tag) }, request);
  }

  /** Posts into each place of the incident: its channel, else the card's thread. Keyed: once per `tag`. */
  async say(incident: Incident, message: Message, tag: string): Promise<void> {
    const key = `${cardKey(incident.id)}:${tag}`;
    const items: NewOutboxItem[] = incident.places.map((p) =>
      p.room
        ? { platform: p.platform, channel: p.room, op: 'post', key, message }
        : {
            platform: p.platform,
            channel: p.channel,
            op: 'post',
            key,
            threadKey: cardKey(incident.id),
            message,
          },
    );
    await this.o.outbox.enqueue(items);
  }

  /** The card as it stands now. */
  async card(incident: Incident): Promise<Message> {
    const recent = await recentDeploys(this.o.deployments, incident, this.o.config.rollbackWindow);
    return incidentCard(incident, recent, (id) => this.o.directory.mention(id));
  }

  /** Edits the card in place wherever it was posted. */
  async refresh(incident: Incident): Promise<void> {
    const message = await this.card(incident);
    const items: NewOutboxItem[] = [];
    for (const p of incident.places) {
      items.push({
        platform: p.platform,
        channel: p.channel,
        op: 'update',
        key: cardKey(incident.id),
        message,
      });
      if (p.room)
        items.push({
          platform: p.platform,
          channel: p.room,
          op: 'update',
          key: cardKey(incident.id),
          message,
        });
    }
    await this.o.outbox.enqueue(items);
  }

  /** Writes the incident and keeps the freezes up to date. */
  async save(incident: Incident): Promise<void> {
    await this.o.store.save(incident);
    this.freezes.track(incident);
  }

  /** A line on the incident's timeline. */
  async event(incident: Incident, kind: IncidentEventKind, by: Actor, text: string): Promise<void> {
    await this.o.store.addEvent({ incidentId: incident.id, at: this.o.clock.now(), kind, by, text });
  }
}
