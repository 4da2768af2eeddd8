/** Who is who: platform user ids → configured people. */

/** A configured person, as the core needs them. */
export interface PersonInfo {
  id: string;
  name: string;
  roles: string[];
  /** platform → immutable user id */
  chat: Record<string, string>;
  emails: string[];
}

export class Directory {
  private readonly byIdentity = new Map<string, PersonInfo>();
  private readonly byId = new Map<string, PersonInfo>();

  constructor(people: readonly PersonInfo[]) {
    this.replace(people);
  }

  /** Takes a new list of people (a config reload); everyone holding this directory sees it. */
  replace(people: readonly PersonInfo[]): void {
    this.byIdentity.clear();
    this.byId.clear();
    for (const person of people) {
      this.byId.set(person.id, person);
      for (const [platform, userId] of Object.entries(person.chat)) {
        this.byIdentity.set(`${platform}:${userId}`, person);
      }
      // The local web chat is for local use: a person is known there by their id unless told otherwise.
      if (!person.chat.webchat) this.byIdentity.set(`webchat:${person.id}`, person);
    }
  }

  /** The person behind a platform's immutable user id. */
  identify(platform: string, userId: string): PersonInfo | undefined {
    return this.byIdentity.get(`${platform}:${userId}`);
  }

  get(id: string): PersonInfo | undefined {
    return this.byId.get(id);
  }

  /** Everyone holding `role`, in the order people are listed. */
  withRole(role: string): PersonInfo[] {
    return [...this.byId.values()].filter((p) => p.roles.includes(role));
  }

  /** The person whose email matches, e.g. a commit author. */
  byEmail(email: string): PersonInfo | undefined {
    const needle = email.toLowerCase();
    for (const person of this.byId.values()) {
      if (person.emails.some((e) => e.toLowerCase() === needle)) return person;
    }
    return undefined;
  }

  /** A mention for a commit author's email, when it belongs to a configured person. */
  mentionEmail(email: string): string | undefined {
    const person = this.byEmail(email);
    return person ? this.mention(person.id) : undefined;
  }

  /** How to mention someone: `@Name` for known people, the id otherwise. */
  mention(id: string): string {
    return `@${this.byId.get(id)?.name ?? id}`;
  }
}
