// Serves the built web app (web/dist): hashed assets under /assets (immutable, precompressed .br /
// .gz when the browser accepts them), the few files of web/public at the root, and index.html for
// `/` and the app's own prefixes only (SPA fallback) — never for /api, /oidc, /login, /docs, … .
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../core/http/errors.js';

/** Client-side routes: index.html answers for each prefix and everything under it. */
export const APP_PREFIXES = ['/portal', '/workbench', '/admin', '/screen', '/auth'] as const;

const IMMUTABLE = 'public, max-age=31536000, immutable';
const SHORT = 'public, max-age=3600';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** web/dist, from src/web (tests) or dist/web (the built server): both sit two levels below the root. */
export const defaultWebDist = (): string => path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'dist');

function encodings(request: FastifyRequest): string[] {
  const h = String(request.headers['accept-encoding'] ?? '');
  const out: string[] = [];
  if (/\bbr\b/.test(h)) out.push('br');
  if (/\bgzip\b/.test(h)) out.push('gzip');
  return out;
}

async function sendFile(request: FastifyRequest, reply: FastifyReply, file: string, cacheControl: string): Promise<FastifyReply> {
  const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  let body = file;
  reply.header('vary', 'accept-encoding');
  for (const enc of encodings(request)) {
    const candidate = `${file}.${enc === 'br' ? 'br' : 'gz'}`;
    if (fs.existsSync(candidate)) {
      body = candidate;
      reply.header('content-encoding', enc);
      break;
    }
  }
  const st = await fs.promises.stat(body);
  const etag = `W/"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
  reply.header('content-type', type).header('cache-control', cacheControl).header('etag', etag);
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  reply.header('content-length', st.size);
  // (Fastify answers HEAD with this GET route and sends no body.)
  return reply.send(fs.createReadStream(body));
}

export interface StaticOptions {
  /** The built app (default: web/dist next to src/ and dist/). */
  dir?: string;
  /**
   * Served over plain http (a pilot on a LAN address): the page's CSP must then not say
   * `upgrade-insecure-requests`, or browsers fetch the app's own scripts over https and fail.
   */
  plainHttp?: boolean;
}

function withoutUpgrade(csp: unknown): string | null {
  if (typeof csp !== 'string') return null;
  return csp.split(';').filter((d) => d.trim() && d.trim() !== 'upgrade-insecure-requests').join(';');
}

export function registerStatic(app: FastifyInstance, opts: StaticOptions = {}): void {
  const dir = opts.dir ?? defaultWebDist();
  const assets = path.join(dir, 'assets');
  const index = path.join(dir, 'index.html');
  const route = { config: { public: true, rateLimit: false as const }, schema: { hide: true } };

  const sendIndex = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!fs.existsSync(index)) {
      throw new AppError('NOT_READY', { 'zh-CN': '网页应用尚未构建：请运行 npm run build', en: 'The web app is not built yet: run npm run build' });
    }
    if (opts.plainHttp) {
      const csp = withoutUpgrade(reply.getHeader('content-security-policy'));
      if (csp) reply.header('content-security-policy', csp);
    }
    // index.html names the current hashed assets: always revalidate it.
    return sendFile(request, reply, index, 'no-cache');
  };

  app.get('/', route, sendIndex);
  for (const prefix of APP_PREFIXES) {
    app.get(prefix, route, sendIndex);
    app.get(`${prefix}/*`, route, sendIndex);
  }

  app.get('/assets/*', route, async (request, reply) => {
    const rel = (request.params as { '*': string })['*'];
    const file = path.resolve(assets, rel);
    // Only plain files directly inside assets/ (no traversal, no precompressed twins by name).
    if (path.dirname(file) !== assets || /\.(br|gz)$/.test(file) || !fs.existsSync(file)) throw new AppError('NOT_FOUND');
    return sendFile(request, reply, file, IMMUTABLE);
  });

  // The files of web/public (favicon, robots.txt…): one route each, so nothing else is shadowed.
  const rootFiles = fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile() && e.name !== 'index.html' && !/\.(br|gz)$/.test(e.name)) : [];
  for (const e of rootFiles) {
    app.get(`/${e.name}`, route, async (request, reply) => sendFile(request, reply, path.join(dir, e.name), SHORT));
  }
}
