// The web app: one Vite build for /portal, /workbench, /admin and /screen (one lazy chunk per area).
// Output goes to web/dist, which the server's src/web plugin serves; see web/README.md.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { buildReport } from './scripts/build-report.ts';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react(), buildReport({ area: 'portal', budgetKb: 300 })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    // The report below prints what matters (initial JS per area); the default warning is noise.
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: false,
  },
  server: {
    // `npm run web:dev`: the API and the OpenID Provider come from a running `npm start`.
    proxy: Object.fromEntries(['/api', '/oidc', '/login', '/oidc-consent', '/healthz', '/readyz', '/metrics', '/openapi.json'].map((p) => [p, 'http://localhost:3000'])),
  },
});
