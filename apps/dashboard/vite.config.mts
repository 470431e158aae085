import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

// Built into dist/dashboard, which the API serves under /app (apps/api/src/http/dashboard.ts).
// `vite` (dev server) proxies the API to a service started with `npm start` (on PORT, as the API).
const api = `http://127.0.0.1:${process.env.PORT || 3000}`;
export default defineConfig({
  root: here,
  base: '/app/',
  // JSX with React's automatic runtime, compiled by Vite's own transformer (no Babel).
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: path.resolve(here, '../../dist/dashboard'), emptyOutDir: true, chunkSizeWarningLimit: 1024 },
  server: { proxy: { '/v1': api, '/docs-json': api } },
});
