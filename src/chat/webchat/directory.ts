/** Who and where, from the config: web chat channel addresses and people's names. */
import type { LoadedConfig } from '../../config/load.ts';

/** A channel or person as the page lists it. */
export interface DirectoryEntry {
  id: string;
  name: string;
}

/** Channel and people lookups for the web chat. */
export interface WebchatDirectory {
  /** Configured channels' web chat addresses, in config order. */
  configuredChannels(): string[];
  /** Configured people with their web chat ids. */
  people(): DirectoryEntry[];
  /** The display name of a web chat user; unknown users go by their id. */
  nameOf(userId: string): string;
}

/** Builds the directory from a loaded config. */
export function createWebchatDirectory(config: LoadedConfig): WebchatDirectory {
  const channels = Object.entries(config.channels).map(([id, addresses]) => addresses.webchat ?? id);
  const people = config.people.map((person) => ({ id: person.chat.webchat ?? person.id, name: person.name }));
  const names = new Map(people.map((person) => [person.id, person.name]));
  return {
    configuredChannels: () => [...new Set(channels)],
    people: () => people.map((person) => ({ ...person })),
    nameOf: (userId) => names.get(userId) ?? userId,
  };
}
