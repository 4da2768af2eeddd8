/** Configs as deckhand reads them: with the sections and keys the built-in modules add. */
import {
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
