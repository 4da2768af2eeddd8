/** Loads deckhand.yaml: parse, interpolate ${ENV}, files and Vault, validate, resolve relative paths. */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type Scalar } from 'yaml';
import type { ConfigExtensions } from './extensions.ts';
import { excerpt, knownKeys, locate, type Position, unknownKey } from './locate.ts';
import { type Config, configSchema } from './schema.ts';
import { parseVaultRef, readVault, type VaultOptions, type VaultRef, type VaultResult } from './vault.ts';

/** One mistake in a config file, located by its YAML path, line and column. */
export interface ConfigProblem {
  path: string;
  line?: number;
  column?: number;
  message: string;
  /** For a syntax error: the line, with a caret under the column. */
  excerpt?: string;
}

/** `file:line:column: path: message`, the way editors and compilers point at a place. */
export function formatProblem(file: string, p: ConfigProblem): string {
  const where = p.line ? `${file}:${p.line}:${p.column ?? 1}` : file;
  const text = `${where}: ${p.path ? `${p.path}: ` : ''}${p.message}`;
  return p.excerpt ? `${text}\n${p.excerpt.replace(/^/gm, '    ')}` : text;
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    const list = problems.map((p) => `  ${formatProblem(file, p).replace(/\n/g, '\n  ')}`);
    super(`${file} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${list.join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** A validated config plus the absolute paths derived from it. */
export type LoadedConfig = Config & {
  file: string;
  /** The sections modules declared (`slack`, `webchat`), as their schemas gave them. */
  sections: Record<string, unknown>;
  /** Secret values read while loading (`${file:…}`, `${vault:…}`, secret-named keys), for the redactor. */
  secrets: string[];
  /** Commands the modules declare read-only (help, status, whoami…): all that runs while no role grants anything. */
  reading: string[];
  /** Absolute paths; `checkpoints` is where the audit chain is anchored outside the database. */
  paths: { configDir: string; dataDir: string; sqlite: string; workspaces: string; checkpoints: string };
};

type Env = Record<string, string | undefined>;

export function defaultConfigFile(env: Env = process.env): string {
  return env.DECKHAND_CONFIG || 'deckhand.yaml';
}

export interface LoadOptions {
  /** How `${vault:…}` references are fetched (a timeout per request). */
  vault?: VaultOptions;
  /** What the modules add to the file (their sections, CI keys, command names). */
  extensions?: ConfigExtensions;
}

/**
 * Reads and validates a config file. Asynchronous because `${vault:…}` references are fetched from
 * Vault (each distinct path once); everything else is resolved as `parseConfig` does.
 */
export async function loadConfig(
  file: string,
  env: Env = process.env,
  options: LoadOptions = {},
): Promise<LoadedConfig> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String(error);
    throw new ConfigError(absolute, [
      { path: '', message: `${reason}; pass --config FILE or set DECKHAND_CONFIG` },
    ]);
  }
  const parsed = parseYaml(text, absolute);
  const refs = vaultRefsIn(parsed.doc.contents as Node | null);
  const vault = refs.length > 0 ? await readVault(refs, env, options.vault) : undefined;
  return resolve(parsed, absolute, env, vault, options.extensions ?? {});
}

/**
 * Parses config text synchronously: `${NAME}`, `${NAME:-default}` and `${file:…}` work, `${vault:…}`
 * does not (it needs a request; `loadConfig` makes it) and is reported as a problem.
 */
export function parseConfig(
  text: string,
  file: string,
  env: Env = process.env,
  extensions: ConfigExtensions = {},
): LoadedConfig {
  return resolve(parseYaml(text, file), file, env, undefined, extensions);
}

/** An error found at the end of the file (an unclosed `[`) is shown at the last line with text. */
function blankBack(text: string, at: { line: number; col: number }): { line: number; col: number } {
  const source = text.split(/\r?\n/);
  let line = at.line;
  while (line > 1 && !(source[line - 1] ?? '').trim()) line--;
  return line === at.line ? at : { line, col: (source[line - 1] ?? '').length + 1 };
}

interface ParsedYaml {
  doc: ReturnType<typeof parseDocument>;
  /** Line and column of the key (or list item) at a YAML path. */
  where: (keyPath: (string | number)[]) => Position | undefined;
}

function parseYaml(text: string, file: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => {
        const at = blankBack(text, e.linePos?.[0] ?? lines.linePos(e.pos[0]));
        // The parser's sentence, without its own location and excerpt: ours follow.
        const sentence = (e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
        return {
          path: '',
          line: at.line,
          column: at.col,
          message: `YAML syntax: ${sentence}`,
          excerpt: excerpt(text, at.line, at.col),
        };
      }),
    );
  }
  if (doc.contents === null || doc.contents === undefined) {
    throw new ConfigError(file, [
      {
        path: '',
        line: 1,
        column: 1,
        message: 'the file is empty; start from one of the examples (examples/demo/deckhand.yaml)',
      },
    ]);
  }
  return { doc, where: (keyPath) => locate(doc, lines, keyPath) };
}

/** Interpolates, validates and derives paths; `vault` answers `${vault:…}` (absent: not available). */
function resolve(
  { doc, where }: ParsedYaml,
  file: string,
  env: Env,
  vault: ((ref: VaultRef) => VaultResult) | undefined,
  extensions: ConfigExtensions,
): LoadedConfig {
  const problems: ConfigProblem[] = [];
  const secrets = new Set<string>();
  interpolate(doc.contents as Node | null, [], {
    env,
    configDir: path.dirname(file),
    problems,
    secrets,
    where,
    vault,
  });
  const raw = doc.toJS() ?? {};
  const schema = configSchema(extensions);
  const result = schema.safeParse(raw);
  if (!result.success) {
    // A value that could not be interpolated is already explained; its emptiness would only repeat it.
    const explained = new Set(problems.map((p) => p.path));
    const add = (keyPath: (string | number)[], message: string) => {
      if (explained.has(keyPath.join('.'))) return;
      problems.push({ path: keyPath.join('.'), ...where(keyPath), message });
    };
    for (const issue of result.error.issues) {
      const keyPath = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
      if (issue.code === 'unrecognized_keys') {
        // Each unknown key at its own line, with the key it was probably meant to be.
        const known = knownKeys(schema, keyPath);
        for (const key of issue.keys) add([...keyPath, key], unknownKey(key, known));
      } else add(keyPath, issue.message);
    }
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  }
  if (problems.length > 0) throw new ConfigError(file, problems);
  const { data } = result as { data: Config & Record<string, unknown> };
  const sections: Record<string, unknown> = {};
  for (const name of Object.keys(extensions.sections ?? {})) {
    sections[name] = data[name];
    delete data[name];
  }
  const config: Config = data;
  // The audit key: in the config (a file or vault reference) or in DECKHAND_AUDIT_KEY; a secret.
  const auditKey = config.audit.key ?? (env.DECKHAND_AUDIT_KEY || undefined);
  if (auditKey !== undefined && auditKey.length < 32)
    throw new ConfigError(file, [
      {
        path: 'audit.key',
        ...where(['audit', 'key']),
        message: 'DECKHAND_AUDIT_KEY has fewer than 32 characters (e.g. 64 hex digits)',
      },
    ]);
  if (auditKey) {
    config.audit.key = auditKey;
    secrets.add(auditKey);
  }
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
    sections,
    secrets: [...secrets].filter((v) => v.length > 0),
    reading: [...(extensions.commands?.reading ?? [])],
    paths: {
      configDir,
      dataDir,
      sqlite: path.resolve(configDir, config.database.sqlite ?? path.join(dataDir, 'deckhand.db')),
      workspaces: path.resolve(configDir, config.runner.workspaceDir ?? path.join(dataDir, 'workspaces')),
      checkpoints: path.resolve(
        configDir,
        config.audit.checkpoints.file ?? path.join(dataDir, 'audit-checkpoints.jsonl'),
      ),
    },
  };
}

/** Keys whose interpolated values are secrets, masked wherever they would leave deckhand. */
const secretKey = /secret|token|password|passwd|private|credential|api[_-]?key/i;

/** `${file:…}`, `${vault:…}`, or `${NAME}` with an optional `:-default`. */
const reference = /\$\{(?:file:([^}]+)|vault:([^}]+)|([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?)\}/g;

interface Interpolation {
  env: Env;
  configDir: string;
  problems: ConfigProblem[];
  secrets: Set<string>;
  where: (keyPath: (string | number)[]) => Position | undefined;
  vault: ((ref: VaultRef) => VaultResult) | undefined;
}

/** Calls `visit` for every string value (not keys) that holds `${`, with its YAML path. */
function eachTemplate(
  node: Node | null,
  at: (string | number)[],
  visit: (scalar: Scalar<string>, at: (string | number)[]) => void,
): void {
  if (!node) return;
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '?';
      eachTemplate(pair.value as Node | null, [...at, key], visit);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      eachTemplate(item as Node | null, [...at, i], visit);
    });
  } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('${')) {
    visit(node as Scalar<string>, at);
  }
}

/** The well-formed `${vault:…}` references in the document (malformed ones are reported later). */
function vaultRefsIn(root: Node | null): VaultRef[] {
  const refs: VaultRef[] = [];
  eachTemplate(root, [], (scalar) => {
    for (const match of scalar.value.matchAll(reference)) {
      const ref = match[2] === undefined ? undefined : parseVaultRef(match[2]);
      if (ref && typeof ref !== 'string') refs.push(ref);
    }
  });
  return refs;
}

/** Replaces `${NAME}`, `${NAME:-default}`, `${file:/path}` and `${vault:…}` in every string scalar, in place. */
function interpolate(root: Node | null, at: (string | number)[], c: Interpolation): void {
  eachTemplate(root, at, (node, keyPath) => {
    const fail = (message: string) => {
      c.problems.push({ path: keyPath.join('.'), ...c.where(keyPath), message });
      return '';
    };
    const secret = secretKey.test(String(keyPath[keyPath.length - 1] ?? ''));
    const replaced = node.value.replace(
      reference,
      (
        _,
        file: string | undefined,
        vaultSpec: string | undefined,
        name: string | undefined,
        dflt: string | undefined,
      ) => {
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
        if (vaultSpec !== undefined) {
          const ref = parseVaultRef(vaultSpec);
          if (typeof ref === 'string') return fail(ref);
          if (!c.vault) {
            return fail(
              `$\{vault:…} references are fetched by loadConfig, not by the synchronous parseConfig`,
            );
          }
          const result = c.vault(ref);
          if ('problem' in result) return fail(result.problem);
          // A value from Vault is a secret wherever it is used.
          c.secrets.add(result.value);
          return result.value;
        }
        const value = c.env[name as string] ?? dflt;
        if (value === undefined) return fail(`environment variable ${name} is not set`);
        if (secret) c.secrets.add(value);
        return value;
      },
    );
    // An unquoted `${PORT}` should read as the number it holds, as YAML would.
    const plain = node.type === 'PLAIN';
    const scalar = node as Scalar<unknown>;
    if (plain && /^-?\d+(\.\d+)?$/.test(replaced)) scalar.value = Number(replaced);
    else if (plain && (replaced === 'true' || replaced === 'false')) scalar.value = replaced === 'true';
    else scalar.value = replaced;
  });
}
