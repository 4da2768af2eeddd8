/**
 * What `start` checks before it opens anything, and the errors it stops with: each a sentence a
 * person can act on (which variable, which path, which port), printed without a stack.
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { LoadedConfig } from '../config/load.ts';
import type { ChatPlatformModule, DeckhandModules } from '../modules/index.ts';
import { usedSystems } from './ci-systems.ts';

/** A refusal to start that says what to do; the command line prints its message alone. */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** Every missing or malformed credential of the platforms and CI systems this config runs. */
export function credentialProblems(
  config: LoadedConfig,
  env: Record<string, string | undefined>,
  modules: Pick<DeckhandModules, 'chat' | 'ci'>,
): string[] {
  const chat = (modules.chat as readonly ChatPlatformModule<unknown>[]).filter((m) =>
    m.enabled(config.sections[m.name]),
  );
  return [
    ...chat.flatMap((m) => m.credentials?.(config.sections[m.name], env, config) ?? []),
    ...usedSystems(config, modules.ci).flatMap((m) => m.credentials?.(config, env) ?? []),
  ];
}

/** Refuses to start while any credential is missing or malformed, listing them all at once. */
export function assertCredentials(
  config: LoadedConfig,
  env: Record<string, string | undefined>,
  modules: Pick<DeckhandModules, 'chat' | 'ci'>,
): void {
  const problems = credentialProblems(config, env, modules);
  if (problems.length === 0) return;
  const count = problems.length === 1 ? 'a credential is' : `${problems.length} credentials are`;
  throw new StartupError(
    [
      `cannot start: ${count} missing or malformed.`,
      ...problems.map((p) => `  - ${p}`),
      'Set each in the environment (or in the config key named) and start again.',
    ].join('\n'),
  );
}

const why: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a file of that name is in the way',
  ENOSPC: 'the disk is full',
};
const reason = (error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return why[code] ?? code ?? String(error);
};

/**
 * The folders deckhand writes to exist (created if missing) and are writable, or a sentence
 * naming the folder and the key that sets it.
 */
export function assertWritableFolders(config: Pick<LoadedConfig, 'paths'>): void {
  const folders = new Map<string, string>([[config.paths.dataDir, 'database.dataDir']]);
  const sqliteDir = path.dirname(config.paths.sqlite);
  if (!folders.has(sqliteDir) && config.paths.sqlite !== ':memory:')
    folders.set(sqliteDir, 'database.sqlite');
  for (const [folder, key] of folders) {
    try {
      mkdirSync(folder, { recursive: true });
      if (!statSync(folder).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'EEXIST' });
    } catch (error) {
      throw new StartupError(
        `cannot start: the data folder ${folder} cannot be created (${reason(error)}). Create it, or point ${key} at a folder deckhand may write to.`,
      );
    }
    try {
      accessSync(folder, constants.W_OK);
    } catch (error) {
      throw new StartupError(
        `cannot start: the data folder ${folder} is read-only (${reason(error)}). deckhand keeps its database and run logs there: make it writable for this user, or point ${key} at another folder.`,
      );
    }
  }
}

/** What `listen` failing means, for the errors a person causes (a port taken, a bad host). */
export function listenError(error: unknown, port: number, host: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    return new StartupError(
      `cannot start: port ${port} on ${host} is already in use (another deckhand, or another server). Stop it, or pick another port: PORT=${port + 1} (where the config says port: \${PORT:-…}), server.port in the config, or --port ${port + 1}.`,
    );
  if (code === 'EACCES')
    return new StartupError(
      `cannot start: listening on port ${port} is not permitted for this user (ports below 1024 need privileges). Pick another with PORT=, server.port or --port.`,
    );
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return new StartupError(
      `cannot start: ${host} is not an address of this machine. Set server.host to one (127.0.0.1, or 0.0.0.0 for every interface).`,
    );
  return error instanceof Error ? error : new Error(String(error));
}
