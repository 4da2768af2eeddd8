/**
 * `${vault:<mount>/<path>#<key>}` references: values read from HashiCorp Vault's KV version 2
 * secrets engine while the config loads. Each distinct path (and version) is fetched once, over
 * `GET {VAULT_ADDR}/v1/<mount>/data/<path>[?version=N]` with `X-Vault-Token` (and
 * `X-Vault-Namespace` when `VAULT_NAMESPACE` is set); the answer is `{ data: { data, metadata } }`.
 * Values stay in memory: nothing here writes or logs them, and no message ever holds the token.
 */

/** One parsed reference: `secret/deckhand/slack#bot_token@3` → mount `secret`, path `deckhand/slack`. */
export interface VaultRef {
  mount: string;
  path: string;
  key: string;
  version?: number;
}

/** What a reference resolved to: its value, or one sentence saying why not. */
export type VaultResult = { value: string } | { problem: string };

export interface VaultOptions {
  /** How long one request may take, answer included (default 5 s). */
  timeoutMs?: number;
}

type Env = Record<string, string | undefined>;

const DEFAULT_TIMEOUT_MS = 5000;
const SYNTAX = `$\{vault:<mount>/<path>#<key>} (optionally #<key>@<version>)`;

/** Parses the text between `${vault:` and `}`; a string is the problem with it. */
export function parseVaultRef(spec: string): VaultRef | string {
  const match = /^([^#]+)#([^#@]+)(?:@(\d+))?$/.exec(spec.trim());
  const segments = match?.[1]?.split('/') ?? [];
  const [mount, ...rest] = segments;
  if (
    !match ||
    !mount ||
    rest.length === 0 ||
    segments.some((s) => s === '' || s === '.' || s === '..' || /\s/.test(s))
  ) {
    return `"\${vault:${spec}}" is not a Vault reference; write ${SYNTAX}, e.g. \${vault:secret/deckhand/slack#bot_token}`;
  }
  const version = match[3] === undefined ? undefined : Number(match[3]);
  if (version === 0) return `Vault versions start at 1, so "@0" in "\${vault:${spec}}" names none`;
  return { mount, path: rest.join('/'), key: (match[2] as string).trim(), ...(version ? { version } : {}) };
}

/** `secret/deckhand/slack` or `secret/deckhand/slack (version 3)`, as messages name a location. */
function where(ref: VaultRef): string {
  return `${ref.mount}/${ref.path}${ref.version ? ` (version ${ref.version})` : ''}`;
}

/** The fetch unit: one request per distinct mount, path and version. */
function locationKey(ref: VaultRef): string {
  return `${ref.mount}/${ref.path}@${ref.version ?? 'latest'}`;
}

type Fetched = { data: Record<string, unknown> } | { problem: string };

/**
 * Fetches every distinct location the references name, at once, and returns the lookup for each
 * reference. Never throws: every failure becomes a problem for the references it affects.
 */
export async function readVault(
  refs: VaultRef[],
  env: Env,
  options: VaultOptions = {},
): Promise<(ref: VaultRef) => VaultResult> {
  const addr = env.VAULT_ADDR?.trim();
  const token = env.VAULT_TOKEN?.trim();
  if (!addr) {
    return () => ({
      problem: `VAULT_ADDR is not set; set it to the Vault server address (e.g. https://vault.example.com:8200) to read $\{vault:…} references`,
    });
  }
  if (!/^https?:\/\/[^/]/i.test(addr) || !URL.canParse(addr)) {
    return () => ({ problem: `VAULT_ADDR "${addr}" is not an http:// or https:// address` });
  }
  if (!token) {
    return () => ({
      problem:
        'VAULT_TOKEN is not set; deckhand needs a Vault token allowed to read the secrets this file references',
    });
  }
  const locations = new Map<string, VaultRef>();
  for (const ref of refs) if (!locations.has(locationKey(ref))) locations.set(locationKey(ref), ref);
  const fetched = new Map<string, Fetched>();
  await Promise.all(
    [...locations].map(async ([key, ref]) => {
      fetched.set(key, await fetchLocation(ref, addr, token, env.VAULT_NAMESPACE?.trim(), options));
    }),
  );
  return (ref) => {
    const answer = fetched.get(locationKey(ref));
    if (!answer) return { problem: `${where(ref)} was not fetched from Vault` };
    if ('problem' in answer) return answer;
    if (!Object.hasOwn(answer.data, ref.key)) {
      const keys = Object.keys(answer.data);
      return {
        problem: `${where(ref)} in Vault has no key "${ref.key}" (${keys.length ? `its keys: ${keys.join(', ')}` : 'it has no keys'})`,
      };
    }
    const value = answer.data[ref.key];
    if (typeof value === 'string') return { value };
    if (typeof value === 'number' || typeof value === 'boolean') return { value: String(value) };
    return {
      problem: `key "${ref.key}" of ${where(ref)} in Vault holds ${value === null ? 'null' : 'an object'}, not a string`,
    };
  };
}

async function fetchLocation(
  ref: VaultRef,
  addr: string,
  token: string,
  namespace: string | undefined,
  options: VaultOptions,
): Promise<Fetched> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const encoded = [ref.mount, 'data', ...ref.path.split('/')].map(encodeURIComponent).join('/');
  const url = `${addr.replace(/\/+$/, '')}/v1/${encoded}${ref.version ? `?version=${ref.version}` : ''}`;
  // Whatever a message quotes (an error, Vault's own words), the token never appears in it.
  const scrub = (text: string) => text.split(token).join('[redacted]');
  const headers: Record<string, string> = { 'X-Vault-Token': token, Accept: 'application/json' };
  if (namespace) headers['X-Vault-Namespace'] = namespace;
  let status: number;
  let text: string;
  try {
    // No redirects: the token goes to VAULT_ADDR and nowhere else.
    const response = await fetch(url, {
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return {
        problem: `Vault at ${addr} did not answer within ${timeoutMs / 1000}s while reading ${where(ref)}`,
      };
    }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    return { problem: scrub(`cannot reach Vault at ${addr} to read ${where(ref)} (${reason})`) };
  }
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (status === 404) {
    const metadata = (body as { data?: { metadata?: { deletion_time?: string; destroyed?: boolean } } })?.data
      ?.metadata;
    const gone = metadata && (metadata.destroyed || metadata.deletion_time);
    return {
      problem: gone
        ? `${where(ref)} in Vault is deleted${metadata.destroyed ? ' and destroyed' : ''}; undelete it or name another version`
        : `Vault has no secret at ${where(ref)} (HTTP 404); check the mount "${ref.mount}" is a KV version 2 engine and the path is right`,
    };
  }
  if (status === 403) {
    return {
      problem: `Vault denied reading ${where(ref)} (HTTP 403); check that VAULT_TOKEN is valid and its policy grants read on ${ref.mount}/data/${ref.path}`,
    };
  }
  if (status < 200 || status >= 300) {
    const errors = (body as { errors?: unknown })?.errors;
    const said = Array.isArray(errors) && typeof errors[0] === 'string' ? `: ${errors[0].slice(0, 200)}` : '';
    return { problem: scrub(`Vault answered HTTP ${status} when reading ${where(ref)}${said}`) };
  }
  const data = (body as { data?: { data?: unknown } })?.data?.data;
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    return {
      problem: `Vault's answer for ${where(ref)} is not a KV version 2 secret (no data.data object); is "${ref.mount}" a KV version 2 mount?`,
    };
  }
  return { data: data as Record<string, unknown> };
}
