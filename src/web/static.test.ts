// Serving the built app: index.html for the app's prefixes only, hashed assets immutable and
// precompressed, nothing else shadowed, no path traversal.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerProblems } from '../core/http/problem.js';
import { registerAuth } from '../core/http/auth.js';
import { registerStatic } from './static.js';

let dir: string;
let app: FastifyInstance;
const JS = 'console.log("云岭");'.repeat(200);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yunling-webdist-'));
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><html lang="zh-CN"><title>云岭</title><div id="root"></div></html>');
  fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  fs.writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), JS);
  fs.writeFileSync(path.join(dir, 'assets', 'index-abc123.js.br'), zlib.brotliCompressSync(JS));
  fs.writeFileSync(path.join(dir, 'assets', 'index-abc123.js.gz'), zlib.gzipSync(JS));
  fs.writeFileSync(path.join(dir, 'secret.txt.gz'), 'no');
  app = Fastify();
  registerProblems(app);
  registerAuth(app);
  app.get('/api/ping', { config: { public: true } }, async () => ({ pong: true }));
  registerStatic(app, { dir });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('web app static serving', () => {
  it('answers / and every route of the app with index.html, always revalidated', async () => {
    for (const url of ['/', '/portal', '/portal/', '/workbench/tasks/1', '/admin/health', '/screen', '/auth/callback?code=x&state=y']) {
      const r = await app.inject({ url });
      expect(r.statusCode, url).toBe(200);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.headers['cache-control']).toBe('no-cache');
      expect(r.body).toContain('<div id="root">');
    }
  });

  it('does not answer for other paths (no catch-all shadows the API or the provider)', async () => {
    for (const url of ['/portalx', '/api/nothing', '/oidc/whatever', '/login2', '/docs/x', '/metricsx', '/unknown']) {
      const r = await app.inject({ url });
      expect(r.statusCode, url).toBe(404);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
    expect((await app.inject({ url: '/api/ping' })).json()).toEqual({ pong: true });
  });

  it('serves hashed assets as immutable, precompressed when the browser accepts it', async () => {
    const br = await app.inject({ url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers.vary).toContain('accept-encoding');
    expect(zlib.brotliDecompressSync(br.rawPayload).toString()).toBe(JS);
    const gz = await app.inject({ url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.rawPayload).toString()).toBe(JS);
    const plain = await app.inject({ url: '/assets/index-abc123.js' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(JS);
    const again = await app.inject({ url: '/assets/index-abc123.js', headers: { 'if-none-match': plain.headers.etag as string } });
    expect(again.statusCode).toBe(304);
    const head = await app.inject({ method: 'HEAD', url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'br' } });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe(String(fs.statSync(path.join(dir, 'assets', 'index-abc123.js.br')).size));
    expect(head.body).toBe('');
  });

  it('refuses path traversal, missing assets and the precompressed twins by name', async () => {
    for (const url of ['/assets/../index.html', '/assets/%2e%2e/index.html', '/assets/..%2fsecret.txt.gz', '/assets/missing.js', '/assets/index-abc123.js.br', '/assets/']) {
      const r = await app.inject({ url });
      expect(r.statusCode, url).toBe(404);
    }
  });

  it('serves the files of web/public at the root with a short cache', async () => {
    const r = await app.inject({ url: '/favicon.svg' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('image/svg+xml');
    expect(r.headers['cache-control']).toBe('public, max-age=3600');
    expect((await app.inject({ url: '/secret.txt.gz' })).statusCode).toBe(404);
  });

  it('says the app is not built when index.html is missing', async () => {
    const empty = Fastify();
    registerProblems(empty);
    registerAuth(empty);
    registerStatic(empty, { dir: path.join(dir, 'nope') });
    const r = await empty.inject({ url: '/portal' });
    expect(r.statusCode).toBe(503);
    expect(r.json()).toMatchObject({ code: 'NOT_READY' });
    await empty.close();
  });
});
