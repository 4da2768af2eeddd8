/** Serves the web chat page: index.html at `/` and a fixed set of assets under `/web/`. */
import { existsSync, readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

/** One file the page needs, loaded into memory. */
interface Asset {
  body: Buffer;
  type: string;
}

/** The files under web/ that may be served; anything else is a 404, so no path can escape the folder. */
const ASSETS: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'render.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
  'messages.css': 'text/css; charset=utf-8',
};

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

/** The repository's `web/` folder, from the sources or from a bundle (`dist/`, or deeper). */
function findWebDir(): URL {
  for (const up of ['../../../web/', '../web/', '../../web/']) {
    const dir = new URL(up, import.meta.url);
    if (existsSync(new URL('index.html', dir))) return dir;
  }
  return new URL('../../../web/', import.meta.url);
}

/** Reads the page's files once; call at start-up. */
export function loadAssets(webDir: URL = findWebDir()): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const [name, type] of Object.entries(ASSETS)) {
    assets.set(name, { body: readFileSync(new URL(name, webDir)), type });
  }
  return assets;
}

/** Registers `/` and `/web/*` over preloaded assets. */
export async function registerStaticRoutes(app: FastifyInstance, assets: Map<string, Asset>): Promise<void> {
  const serve = (name: string) => (Object.hasOwn(ASSETS, name) ? assets.get(name) : undefined);

  app.get('/', async (_request, reply) => {
    const asset = serve('index.html');
    if (!asset) return reply.code(404).send({ error: 'The web chat page is missing.' });
    return reply.headers(SECURITY_HEADERS).type(asset.type).send(asset.body);
  });

  app.get('/web/*', async (request, reply) => {
    const name = (request.params as { '*'?: string })['*'] ?? '';
    const asset = serve(name);
    if (!asset) return reply.code(404).send({ error: 'There is no such file in the web chat.' });
    return reply.headers(SECURITY_HEADERS).type(asset.type).send(asset.body);
  });
}
