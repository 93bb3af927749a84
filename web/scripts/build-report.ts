// Vite plugin: after the build, precompress assets (.br and .gz, served by src/web when the browser
// accepts them) and print the initial JavaScript each area loads, gzip-compressed — the number the
// portal's budget (≤ 300 KB) is about. The figures are also written to dist/.vite/sizes.json.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Plugin } from 'vite';

interface ChunkInfo { fileName: string; code: string; imports: string[]; dynamicImports: string[]; facadeModuleId: string | null; isEntry: boolean; modules: Record<string, { renderedLength: number }> }

export const AREAS = ['portal', 'workbench', 'admin', 'screen'] as const;

const gzipSize = (s: string | Uint8Array) => zlib.gzipSync(s, { level: 9 }).length;

/** The chunk and every chunk it imports statically (what the browser must load before running it). */
function closure(start: string, chunks: Map<string, ChunkInfo>, seen = new Set<string>()): Set<string> {
  if (seen.has(start)) return seen;
  seen.add(start);
  for (const i of chunks.get(start)?.imports ?? []) closure(i, chunks, seen);
  return seen;
}

export function buildReport(opts: { area: (typeof AREAS)[number]; budgetKb: number }): Plugin {
  let outDir = '';
  return {
    name: 'yunling-build-report',
    apply: 'build',
    configResolved(c) {
      outDir = path.resolve(c.root, c.build.outDir);
    },
    writeBundle(_o, bundle) {
      const chunks = new Map<string, ChunkInfo>();
      for (const b of Object.values(bundle)) if (b.type === 'chunk') chunks.set(b.fileName, b as unknown as ChunkInfo);
      const entry = [...chunks.values()].find((c) => c.isEntry);
      if (!entry) return;
      const base = closure(entry.fileName, chunks);
      const sizes: Record<string, number> = {};
      for (const area of AREAS) {
        const chunk = [...chunks.values()].find((c) => c.facadeModuleId?.replace(/\\/g, '/').endsWith(`/areas/${area}/index.tsx`));
        const files = new Set(base);
        if (chunk) closure(chunk.fileName, chunks, files);
        sizes[area] = [...files].reduce((n, f) => n + gzipSize(chunks.get(f)!.code), 0);
      }
      fs.mkdirSync(path.join(outDir, '.vite'), { recursive: true });
      fs.writeFileSync(path.join(outDir, '.vite', 'sizes.json'), JSON.stringify({ initialJsGzipBytes: sizes, budget: { [opts.area]: opts.budgetKb * 1024 } }, null, 2));
      const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
      const lines = AREAS.map((a) => `  ${a.padEnd(10)} ${kb(sizes[a]!).padStart(10)}${a === opts.area ? `  (budget ${opts.budgetKb} KB)` : ''}`);
      process.stdout.write(`initial JS per area (gzip):\n${lines.join('\n')}\n`);
      if (sizes[opts.area]! > opts.budgetKb * 1024) process.stdout.write(`WARNING: ${opts.area} initial JS ${kb(sizes[opts.area]!)} exceeds its ${opts.budgetKb} KB budget\n`);
      if (process.env.YL_BUNDLE_DEBUG) printHeaviest(opts.area, base, chunks);
      compressAssets(path.join(outDir, 'assets'));
      // scripts/ensure-built.mjs skips the next build while no source under web/ is newer than this.
      fs.writeFileSync(path.join(outDir, '.build-stamp'), new Date().toISOString() + '\n');
    },
  };
}

/** YL_BUNDLE_DEBUG=1: the 40 largest modules (rendered, before compression) in an area's initial JS. */
function printHeaviest(area: string, base: Set<string>, chunks: Map<string, ChunkInfo>): void {
  const chunk = [...chunks.values()].find((c) => c.facadeModuleId?.replace(/\\/g, '/').endsWith(`/areas/${area}/index.tsx`));
  const files = new Set(base);
  if (chunk) closure(chunk.fileName, chunks, files);
  const mods: Array<[string, number]> = [];
  for (const f of files) for (const [id, m] of Object.entries(chunks.get(f)!.modules)) mods.push([id.replace(/^.*node_modules\//, ''), m.renderedLength]);
  mods.sort((a, b) => b[1] - a[1]);
  process.stdout.write(mods.slice(0, 40).map(([id, n]) => `  ${String(n).padStart(8)}  ${id}`).join('\n') + '\n');
}

function compressAssets(dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const name of fs.readdirSync(dir)) {
    if (!/\.(js|css|svg|json|txt)$/.test(name)) continue;
    const file = path.join(dir, name);
    const body = fs.readFileSync(file);
    if (body.length < 1024) continue;
    fs.writeFileSync(`${file}.gz`, zlib.gzipSync(body, { level: 9 }));
    fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
  }
}
