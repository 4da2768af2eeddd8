/**
 * What the parity scenario suite needs from a chat platform under test: its local fake, the part
 * of deckhand.yaml that points deckhand at it, and a person's view of it (type, read, click).
 * One implementation per platform in `platforms/<name>.ts`; the suite (`parity.test.ts`) is the same
 * for all and asserts the same outcomes.
 */
import type { FastifyInstance } from 'fastify';
import type { Deckhand } from '../../src/server/deckhand.ts';

/** The scenario's people: alice a developer, bob and dave release managers, carol a viewer. */
export const PEOPLE = ['alice', 'bob', 'carol', 'dave'] as const;
export type Person = (typeof PEOPLE)[number];

/** The scenario's channels, by deckhand's channel id. */
export const CHANNELS = ['general', 'ci-builds', 'tests', 'deployments', 'approvals', 'incidents'] as const;
export type Channel = (typeof CHANNELS)[number];

/** A message as a person sees it, in its current state (after any in-place update). */
export interface SeenMessage {
  /** The platform's id for the message (stable across in-place updates). */
  id: string;
  /** The platform's id of the thread's parent, for a reply in a thread. */
  threadId?: string;
  /**
   * Everything the message shows as plain text: header, body, fields (`Label: value`), context,
   * link; markup removed (no `*`, `_`, `` ` ``, `<…|…>`), mentions as `@Name` or the platform's
   * user id. Button labels are not in it.
   */
  text: string;
  /** Its buttons' labels, in order. */
  buttons: string[];
  /** For a reply only one person sees (ephemeral), that person. */
  visibleTo?: Person;
}

/** A person's view of the platform, once deckhand runs. */
export interface PlatformSession {
  /** Types `text` (e.g. `/ci build main`) as `person` in `channel`, the platform's way. */
  say(person: Person, channel: Channel, text: string): Promise<void>;
  /** Every message in `channel` (top level, thread replies, ephemeral replies to anyone), oldest first. */
  messages(channel: Channel): Promise<SeenMessage[]>;
  /** Clicks the button labelled `label` on `message` as `person`. */
  click(person: Person, channel: Channel, message: SeenMessage, label: string): Promise<void>;
}

/** The deckhand the suite started, for sessions that call its routes (`app.inject`). */
export interface Running {
  app: FastifyInstance;
  deckhand: Deckhand;
}

/** A platform under test, with its local fake started. */
export interface PlatformUnderTest {
  /** The module's name (`channels.<id>.<name>`, `people[].chat.<name>`). */
  name: string;
  /** The platform's id for a person (`people[].chat.<name>`). */
  userId(person: Person): string;
  /** The platform's address of a channel (`channels.<id>.<name>`). */
  channelId(channel: Channel): string;
  /** Its top-level section(s) of deckhand.yaml (YAML text), e.g. `slack: {}`. */
  yaml: string;
  /** Environment variables: its secrets and its fake's base URLs. */
  env: Record<string, string>;
  /** A person's view, once deckhand runs. */
  connect(running: Running): PlatformSession;
  /** Stops its fake. */
  stop(): Promise<void>;
}

/** Starts a platform's fake; each `platforms/<name>.ts` exports one. */
export type StartPlatform = () => Promise<PlatformUnderTest>;
