import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The dashboard is served by the exam server, so it builds outside the client's out/. */
export default defineConfig({
  root: 'src/dashboard',
  base: '/dashboard/',
  plugins: [react()],
  build: {
    outDir: '../../dist/dashboard',
    emptyOutDir: true,
    // React, the table libraries and zod change less often than the dashboard: chunks of their
    // own stay cached across upgrades, and none passes Vite's 500 kB warning.
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'zod', test: /node_modules[\\/]zod[\\/]/ },
            { name: 'vendor', test: /node_modules[\\/]/ },
          ],
        },
      },
    },
  },
});
