// The whole upload → attach → download path with FILE_STORE=s3, against s3rver (a real
// S3-compatible server in this process) — and the routes as OpenAPI documents them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import S3rver from 's3rver';
import { filesTestApp, type FilesTestApp } from './test-app.js';
import { exe, pdf } from './test-fixtures.js';

const s3dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yunling-s3app-'));
let server: S3rver;
let t: FilesTestApp;

beforeAll(async () => {
  server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: s3dir });
  const { port } = await server.run();
  t = await filesTestApp({
    FILE_STORE: 's3', S3_ENDPOINT: `http://127.0.0.1:${port}`, S3_BUCKET: 'case-files', S3_ACCESS_KEY: 'S3RVER', S3_SECRET_KEY: 'S3RVER', CRYPTO_PROFILE: 'intl',
  });
});
afterAll(async () => {
  await t.close();
  await server.close();
  fs.rmSync(s3dir, { recursive: true, force: true });
});

describe('files in an S3-compatible bucket', () => {
  it('uploads into the bucket (SHA-256 under the intl profile) and streams the same bytes back', async () => {
    const bytes = pdf('对象存储');
    const r = await t.upload('zhang', bytes, '申请书.pdf');
    expect(r.statusCode, r.body).toBe(201);
    const { id, digest } = r.json();
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const hex = digest.slice(7);
    expect(fs.existsSync(path.join(s3dir, 'case-files', hex.slice(0, 2), hex.slice(2, 4), `sha256-${hex}._S3rver_object`))).toBe(true);
    expect(t.blobs()).toEqual([]);
    const d = await t.download('zhang', id);
    expect(d.statusCode).toBe(200);
    expect(d.rawPayload.equals(bytes)).toBe(true);
    expect(t.tempFiles()).toEqual([]);
  });

  it('refuses before anything reaches the bucket', async () => {
    const objects = () => fs.readdirSync(path.join(s3dir, 'case-files'), { recursive: true }).length;
    const before = objects();
    expect((await t.upload('zhang', exe(), 'a.pdf')).statusCode).toBe(415);
    expect(objects()).toBe(before);
    expect(t.tempFiles()).toEqual([]);
  });
});

describe('OpenAPI', () => {
  it('documents upload (raw body, name header, accept list) and download', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const up = doc.paths['/api/files'];
    expect(Object.keys(up).sort()).toEqual(['post', 'put']);
    expect(up.post.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`).sort()).toEqual(['header:x-file-name', 'query:accept', 'query:division', 'query:maxBytes', 'query:name']);
    expect(Object.keys(up.post.requestBody.content)).toContain('application/octet-stream');
    expect(up.post.responses['201']).toBeDefined();
    expect(doc.paths['/api/files/{id}'].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['disposition', 'id']);
  });
});
