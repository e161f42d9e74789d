/**
 * The web UI's build: React + TypeScript, bundled into ../dist/ui, which `windhover server`
 * serves at `/`. `npm run dev:ui` serves it with hot reload and sends /api to a server on 8080.
 */
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  resolve: {
    // monaco-yaml's worker (via monaco-worker-manager) imports monaco-editor/esm/vs/…, a path that
    // monaco-editor 0.57's package exports no longer map: point it at the file.
    alias: [
      // The outputs debugger bundles the expression engine (src/expr): its few Node imports get
      // browser stand-ins (pages/executions/debugger/shims).
      ...['buffer', 'crypto', 'module'].map((name) => ({
        find: `node:${name}`,
        replacement: fileURLToPath(
          new URL(`./src/pages/executions/debugger/shims/node-${name}.ts`, import.meta.url),
        ),
      })),
      {
        find: /^monaco-editor\/esm\/vs\/(.*)$/,
        replacement: fileURLToPath(new URL('../node_modules/monaco-editor/esm/vs/', import.meta.url)) + '$1',
      },
    ],
  },
  build: {
    // WINDHOVER_UI_OUT: another folder, so that parallel builds (engineers, CI shards) do not clash.
    outDir: process.env.WINDHOVER_UI_OUT ?? fileURLToPath(new URL('../dist/ui', import.meta.url)),
    emptyOutDir: true,
    // Monaco is one large chunk by nature; it loads with the editor pages only.
    chunkSizeWarningLimit: 5000,
    sourcemap: false,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080', '/health': 'http://127.0.0.1:8080' },
  },
});
