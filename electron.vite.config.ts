import { resolve } from 'node:path';

import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

import { CLIENT_EXTERNALS } from './scripts/client-modules';

/**
 * Main: ESM (ps-list and get-windows are ESM-only; ps-list breaks in a CommonJS bundle). Only
 * the modules that must load from node_modules stay external (CLIENT_EXTERNALS: native,
 * ESM-only or Electron-aware); everything else is bundled, so the packed client needs nothing
 * more from node_modules. Preload: CommonJS, because sandboxed
 * preloads cannot load ES modules. Renderer: a plain Vite web build.
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/main/electron/main.ts') },
        external: ['electron', /^node:/, ...CLIENT_EXTERNALS, /^electron-log\//],
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      // electron-vite leaves the renderer unminified; the candidate UI has a size budget.
      minify: true,
      rollupOptions: { input: resolve(import.meta.dirname, 'src/renderer/index.html') },
    },
  },
});
