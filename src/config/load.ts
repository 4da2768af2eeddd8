/** Loads deckhand.yaml: parse, interpolate ${ENV}, validate, resolve relative paths. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { type Config, configSchema } from './schema.ts';

/** One mistake in a config file, located by its YAML path and line. */
export interface ConfigProblem {
  path: string;
  line?: number;
  message: string;
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    const list = problems.map(
      (p) => `  - ${p.path || '(top)'}${p.line ? ` (line ${p.line})` : ''}: ${p.message}`,
    );
    super(`${file} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${list.join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** A validated config plus the absolute paths derived from it. */
export interface LoadedConfig extends Config {
  file: string;
  /** Secret values read while loading (from `${file:…}` and secret-named keys), for the redactor. */
  secrets: string[];
  paths: { configDir: string; dataDir: string; sqlite: string; workspaces: string };
}

type Env = Record<string, string | undefined>;

export function defaultConfigFile(env: Env = process.env): string {
  return env.DECKHAND_CONFIG || 'deckhand.yaml';
}

export function loadConfig(file: string, env: Env = process.env): LoadedConfig {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    throw new ConfigError(absolute, [
      { path: '', message: `${reason}; pass --config FILE or set DECKHAND_CONFIG` },
    ]);
  }
  return parseConfig(text, absolute, env);
}

export function parseConfig(text: string, file: string, env: Env = process.env): LoadedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  const lineOf = (node: Node | null | undefined) =>
    node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => ({
        path: '',
        line: e.linePos?.[0]?.line,
        message: e.message.split('\n')[0] ?? '',
      })),
    );
  }
  const problems: ConfigProblem[] = [];
  const secrets = new Set<string>();
  interpolate(doc.contents as Node | null, [], {
    env,
    configDir: path.dirname(file),
    problems,
    secrets,
    lineOf,
  });
  const raw = doc.toJS() ?? {};
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const keyPath = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
      problems.push({ path: keyPath.join('.'), line: lineAt(doc, keyPath, lineOf), message: issue.message });
    }
  }
  if (problems.length > 0) throw new ConfigError(file, problems);
  const config = result.data as Config;
  const configDir = path.dirname(file);
  const dataDir = path.resolve(configDir, config.database.dataDir);
  for (const repo of Object.values(config.repositories)) {
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(repo.url) && !repo.url.includes('@')) {
      repo.url = path.resolve(configDir, repo.url);
    }
  }
  return {
    ...config,
    file,
    secrets: [...secrets].filter((v) => v.length > 0),
    paths: {
      configDir,
      dataDir,
      sqlite: path.resolve(configDir, config.database.sqlite ?? path.join(dataDir, 'deckhand.db')),
      workspaces: path.resolve(configDir, config.runner.workspaceDir ?? path.join(dataDir, 'workspaces')),
    },
  };
}

/** The line of the deepest node along `keyPath` that exists. */
function lineAt(
  doc: ReturnType<typeof parseDocument>,
  keyPath: (string | number)[],
  lineOf: (n: Node | null | undefined) => number | undefined,
): number | undefined {
  for (let n = keyPath.length; n >= 0; n--) {
    const node = doc.getIn(keyPath.slice(0, n), true) as Node | undefined;
    const line = lineOf(node);
    if (line) return line;
  }
  return undefined;
}

/** Replaces `${NAME}` and `${NAME:-default}` in every string scalar, in place. */
/** Keys whose interpolated values are secrets, masked wherever they would leave deckhand. */
const secretKey = /secret|token|password|passwd|private|credential|api[_-]?key/i;

interface Interpolation {
  env: Env;
  configDir: string;
  problems: ConfigProblem[];
  secrets: Set<string>;
  lineOf: (n: Node | null | undefined) => number | undefined;
}

/** Replaces `${NAME}`, `${NAME:-default}` and `${file:/path}` in every string scalar, in place. */
function interpolate(node: Node | null, at: (string | number)[], c: Interpolation): void {
  if (!node) return;
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '?';
      interpolate(pair.value as Node | null, [...at, key], c);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      interpolate(item as Node | null, [...at, i], c);
    });
  } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('${')) {
    const fail = (message: string) => {
      c.problems.push({ path: at.join('.'), line: c.lineOf(node), message });
      return '';
    };
    const secret = secretKey.test(String(at[at.length - 1] ?? ''));
    const replaced = node.value.replace(
      /\$\{(?:file:([^}]+)|([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?)\}/g,
      (_, file: string | undefined, name: string | undefined, dflt: string | undefined) => {
        if (file) {
          try {
            // A file's content is a secret wherever it is used (e.g. /run/secrets/x).
            const value = readFileSync(path.resolve(c.configDir, file.trim()), 'utf8').replace(/\r?\n$/, '');
            c.secrets.add(value);
            return value;
          } catch (error) {
            return fail(
              `cannot read secret file ${file.trim()}: ${(error as NodeJS.ErrnoException).code ?? error}`,
            );
          }
        }
        const value = c.env[name as string] ?? dflt;
        if (value === undefined) return fail(`environment variable ${name} is not set`);
        if (secret) c.secrets.add(value);
        return value;
      },
    );
    // An unquoted `${PORT}` should read as the number it holds, as YAML would.
    const plain = node.type === 'PLAIN';
    if (plain && /^-?\d+(\.\d+)?$/.test(replaced)) node.value = Number(replaced);
    else if (plain && (replaced === 'true' || replaced === 'false')) node.value = replaced === 'true';
    else node.value = replaced;
  }
}
