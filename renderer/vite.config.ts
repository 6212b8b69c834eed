import react from '@vitejs/plugin-react';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  build: {
    outDir: path.resolve(here, '../dist/renderer'),
    emptyOutDir: true,
    sourcemap: true,
    // The CSP forbids inline scripts; keep every module in a file.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    // A desktop app loads from disk; one bundle with the phone-number metadata is fine.
    chunkSizeWarningLimit: 2000,
  },
});
