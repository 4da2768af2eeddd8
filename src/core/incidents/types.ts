/** Incidents as the core keeps them: the incident, its timeline events, and the store behind them. */

/** Where an incident stands. */
export type IncidentStatus = 'open' | 'acknowledged' | 'resolved';

/** The roles an incident hands out. */
export const incidentRoles = ['commander', 'communications', 'scribe'] as const;
/** `commander`, `communications` or `scribe`. */
export type IncidentRole = (typeof incidentRoles)[number];

/** One alert of a group, as the incident remembers it. */
export interface AlertInfo {
  /** The sender's id for the alert (Alertmanager's fingerprint, the generic webhook's `id`). */
  fingerprint: string;
  status: 'firing' | 'resolved';
  startsAt: string;
  summary: string;
  url?: string;
}

/** An alert notification, whichever webhook it came through. */
export interface AlertGroup {
  /** `alertmanager` or `alerts`. */
  source: string;
  /** One incident per group key while it is open. */
  groupKey: string;
  status: 'firing' | 'resolved';
  title: string;
  severity?: number;
  environments: string[];
  service?: string;
  alerts: AlertInfo[];
  links: { label: string; url: string }[];
}

/** Where an incident lives on one platform: its card in the incidents channel, and its own channel or thread. */
export interface IncidentPlace {
  platform: string;
  /** The incidents channel's address on that platform (where the card is). */
  channel: string;
  /** The dedicated channel created for it, where the platform can. */
  room?: string;
  /** No dedicated channel: the incident lives in the card's thread. */
  thread?: boolean;
}

/** An incident as stored. */
export interface Incident {
  id: number;
  title: string;
  severity: number;
  status: IncidentStatus;
  /** The alert group it comes from; none for a declared incident. */
  groupKey?: string;
  source: string;
  /** The alert group's own state: an incident resolved by hand may still be firing. */
  alertStatus?: 'firing' | 'resolved';
  alerts: AlertInfo[];
  links: { label: string; url: string }[];
  environments: string[];
  service?: string;
  /** Role → person id. */
  roles: Partial<Record<IncidentRole, string>>;
  places: IncidentPlace[];
  createdAt: Date;
  createdBy: string;
  ackedAt?: Date;
  ackedBy?: string;
  resolvedAt?: Date;
  resolvedBy?: string;
  /** Escalation: the level paged last, how many times the policy went round, when the next page is due. */
  escalation: { level: number; round: number; nextAt?: Date };
}

/** An incident before it has an id. */
export type NewIncident = Omit<Incident, 'id'>;

/** What a timeline event records. */
export type IncidentEventKind =
  | 'opened'
  | 'alert'
  | 'acknowledged'
  | 'escalated'
  | 'paged'
  | 'resolved'
  | 'reopened'
  | 'note'
  | 'role';

/** One line of an incident's own timeline. */
export interface IncidentEvent {
  id: number;
  incidentId: number;
  at: Date;
  kind: IncidentEventKind;
  /** Person id, or the alert source. */
  by: string;
  text: string;
}

/** Incidents and their events in the database. */
export interface IncidentStore {
  create(incident: NewIncident): Promise<Incident>;
  get(id: number): Promise<Incident | undefined>;
  /** The newest incident of an alert group not yet resolved, else the newest one. */
  byGroup(groupKey: string): Promise<Incident | undefined>;
  /** Incidents not resolved, oldest first. */
  open(): Promise<Incident[]>;
  /** Incidents whose dedicated channel is `channel` on `platform`. */
  byRoom(platform: string, room: string): Promise<Incident | undefined>;
  /** Writes every field but the id. */
  save(incident: Incident): Promise<void>;
  /**
   * Moves the escalation on only if it is still as `from` says (another process or an earlier
   * attempt did not already): true when this call moved it.
   */
  advanceEscalation(id: number, from: Incident['escalation'], to: Incident['escalation']): Promise<boolean>;
  /** Unacknowledged incidents whose next page is due at `now`. */
  duePages(now: Date): Promise<Incident[]>;
  addEvent(event: Omit<IncidentEvent, 'id'>): Promise<void>;
  events(incidentId: number): Promise<IncidentEvent[]>;
  /** The newest incidents, resolved or not, newest first. */
  recent(limit: number): Promise<Incident[]>;
}
