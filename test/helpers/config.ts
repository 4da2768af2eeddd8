/** Configs as deckhand reads them: with the sections and keys the built-in modules add. */
import assert from 'node:assert/strict';
import {
  ConfigError,
  type ConfigProblem,
  type LoadedConfig,
  type LoadOptions,
  loadConfig as load,
  parseConfig as parse,
} from '../../src/config/load.ts';
import { builtinModules } from '../../src/modules/builtin.ts';
import { configExtensions, type DeckhandModules } from '../../src/modules/index.ts';

/** Parses config text with the modules' sections (the built-in ones by default). */
export function parseConfig(
  text: string,
  file: string,
  env: Record<string, string | undefined> = process.env,
  modules: DeckhandModules = builtinModules,
): LoadedConfig {
  return parse(text, file, env, configExtensions(modules));
}

/** Loads a config file with the built-in modules' sections. */
export function loadConfig(
  file: string,
  env: Record<string, string | undefined> = process.env,
  options: LoadOptions = {},
): Promise<LoadedConfig> {
  return load(file, env, { extensions: configExtensions(builtinModules), ...options });
}

/** The problems a config's text has, read as deckhand reads it; none for a valid one. */
export function configProblems(text: string, env: Record<string, string> = {}): ConfigProblem[] {
  try {
    parseConfig(text, '/srv/deckhand/deckhand.yaml', env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
  return [];
}

/** The problems of a config's text that must have some. */
export function problems(text: string, env: Record<string, string> = {}): ConfigProblem[] {
  const found = configProblems(text, env);
  assert.ok(found.length > 0, 'expected a ConfigError');
  return found;
}

/** Line and column (1-based) of the `nth` occurrence of `token` in `text`, found independently of the parser. */
export function at(text: string, token: string, nth = 1): { line: number; column: number } {
  let i = -1;
  for (let k = 0; k < nth; k++) i = text.indexOf(token, i + 1);
  assert.ok(i >= 0, `"${token}" is in the text`);
  const before = text.slice(0, i);
  return { line: before.split('\n').length, column: i - before.lastIndexOf('\n') };
}
