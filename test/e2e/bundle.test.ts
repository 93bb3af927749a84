// The portal's first load stays small (issue 8: ≤ 300 KB of JavaScript, gzip) and every area is its
// own chunk. The build writes the measured sizes (web/scripts/build-report.ts); this prints and checks them.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultWebDist } from '../../src/web/index.js';

const dist = defaultWebDist();

describe('web app bundle', () => {
  it('keeps the portal\'s initial JavaScript within 300 KB gzip', () => {
    const sizes = JSON.parse(fs.readFileSync(path.join(dist, '.vite', 'sizes.json'), 'utf8')) as { initialJsGzipBytes: Record<string, number> };
    const kb = Object.fromEntries(Object.entries(sizes.initialJsGzipBytes).map(([k, v]) => [k, Math.round(v / 102.4) / 10]));
    process.stdout.write(`initial JS per area, KB gzip: ${JSON.stringify(kb)}\n`);
    expect(sizes.initialJsGzipBytes.portal).toBeGreaterThan(0);
    expect(sizes.initialJsGzipBytes.portal).toBeLessThanOrEqual(300 * 1024);
  });

  it('splits the code per area and precompresses every asset', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<string, { file: string; isDynamicEntry?: boolean }>;
    for (const area of ['portal', 'workbench', 'admin', 'screen']) {
      expect(manifest[`src/areas/${area}/index.tsx`]?.isDynamicEntry, area).toBe(true);
    }
    const assets = fs.readdirSync(path.join(dist, 'assets'));
    const big = assets.filter((f) => /\.(js|css)$/.test(f) && fs.statSync(path.join(dist, 'assets', f)).size >= 1024);
    for (const f of big) expect(assets, f).toEqual(expect.arrayContaining([`${f}.br`, `${f}.gz`]));
  });
});
