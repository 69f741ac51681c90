/**
 * Two pages built into dist/: the Vue client (index.html, served by the
 * gateway at /app/) and the explorer (explorer.html, GraphiQL, served by the
 * gateway at / and GET /graphql for browsers). Both are self-contained: no
 * CDN, so they work offline.
 */
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const page = (name: string) => fileURLToPath(new URL(name, import.meta.url));

export default defineConfig({
  base: '/app/',
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: { index: page('index.html'), explorer: page('explorer.html') },
      // GraphiQL's React dependencies mark modules "use client" (for React Server Components); meaningless in a plain SPA.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    // `npm run dev --prefix web` against a running `npm start`: the API stays same-origin.
    proxy: Object.fromEntries(
      ['/graphql', '/files', '/recordings', '/calendar', '/app/session.json'].map((path) => [
        path,
        { target: process.env.GATEWAY_URL ?? 'http://localhost:4000', ws: path === '/graphql' },
      ]),
    ),
  },
});
