/**
 * A local fake of HashiCorp Vault's KV version 2 read API, for the config loader over `fetch`.
 * It answers as Vault documents: `GET /v1/<mount>/data/<path>[?version=N]` with `X-Vault-Token`
 * gives `{ data: { data, metadata } }`; a missing or wrong token 403 `{"errors":["permission
 * denied"]}`; an unknown mount or path 404 `{"errors":[]}`; a deleted version 404 with its metadata.
 * `X-Vault-Namespace`, when the fake has a namespace, must match it (else 403, as Vault does).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake received. */
export type VaultCall = { method: string; url: string; headers: http.IncomingHttpHeaders; status: number };

/** A secret's versions, oldest first; `null` is a deleted version. */
export type FakeSecret = (Record<string, unknown> | null)[];

export interface VaultFake {
  /** For `VAULT_ADDR`. */
  readonly url: string;
  /** Tokens that may read everything. */
  tokens: string[];
  /** Required `X-Vault-Namespace`, when set. */
  namespace?: string;
  /** KV v2 mounts → path → versions. */
  readonly mounts: Record<string, Record<string, FakeSecret>>;
  readonly calls: VaultCall[];
  /** Answers the next requests with this instead (status and raw body), e.g. a malformed one. */
  override?: { status: number; body: string };
  /** Holds every answer back this long (to test timeouts). */
  delayMs: number;
  close(): Promise<void>;
}

export async function startVaultFake(
  options: { tokens?: string[]; mounts?: VaultFake['mounts'] } = {},
): Promise<VaultFake> {
  const fake: Omit<VaultFake, 'url' | 'close'> = {
    tokens: options.tokens ?? ['hvs.test-token'],
    mounts: options.mounts ?? {},
    calls: [],
    delayMs: 0,
  };
  const server = http.createServer((req, res) => {
    const answer = (status: number, body: unknown) => {
      fake.calls.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, status });
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
      };
      if (fake.delayMs > 0) setTimeout(send, fake.delayMs).unref();
      else send();
    };
    if (fake.override) return answer(fake.override.status, fake.override.body);
    const token = req.headers['x-vault-token'];
    const namespaceOk = !fake.namespace || req.headers['x-vault-namespace'] === fake.namespace;
    if (typeof token !== 'string' || !fake.tokens.includes(token) || !namespaceOk) {
      return answer(403, { errors: ['permission denied'] });
    }
    const url = new URL(req.url ?? '/', 'http://vault');
    const match = /^\/v1\/([^/]+)\/data\/(.+)$/.exec(url.pathname);
    if (req.method !== 'GET' || !match) return answer(405, { errors: ['unsupported operation'] });
    const mount = fake.mounts[decodeURIComponent(match[1] as string)];
    const versions = mount?.[(match[2] as string).split('/').map(decodeURIComponent).join('/')];
    if (!versions || versions.length === 0) return answer(404, { errors: [] });
    const wanted = Number(url.searchParams.get('version') ?? 0) || versions.length;
    if (wanted > versions.length) return answer(404, { errors: [] });
    const data = versions[wanted - 1] ?? null;
    const metadata = {
      created_time: '2026-01-15T10:00:00.000000Z',
      custom_metadata: null,
      deletion_time: data ? '' : '2026-01-16T10:00:00.000000Z',
      destroyed: false,
      version: wanted,
    };
    if (!data) return answer(404, { data: { data: null, metadata } });
    return answer(200, {
      request_id: 'c0ffee00-0000-4000-8000-000000000000',
      lease_id: '',
      renewable: false,
      lease_duration: 0,
      data: { data, metadata },
      wrap_info: null,
      warnings: null,
      auth: null,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
