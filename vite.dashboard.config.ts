import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The dashboard is served by the exam server, so it builds outside the client's out/. */
export default defineConfig({
  root: 'src/dashboard',
  base: '/dashboard/',
  plugins: [react()],
  build: { outDir: '../../dist/dashboard', emptyOutDir: true },
});
