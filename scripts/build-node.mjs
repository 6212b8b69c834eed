// Bundles the Node-side entry points with esbuild. Native and host-provided modules stay
// external: better-sqlite3 is loaded from node_modules, electron is provided by Electron itself;
// pdfkit, exceljs and the DejaVu font read their own data files at run time, so they stay in
// node_modules too.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  external: ['better-sqlite3', 'electron', 'pg-native', 'pdfkit', 'exceljs', 'dejavu-fonts-ttf'],
};

await Promise.all([
  build({
    ...common,
    entryPoints: {
      host: 'src/host/main.ts',
      server: 'src/server/main.ts',
      // The desk's store thread (src/client/sync/store-thread.ts), started by both hosts.
      'store-worker': 'src/client/sync/store-worker.ts',
    },
    outdir: 'dist',
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  }),
  // `npm start`'s Chromium window under the shell policy (scripts/start.mjs); a dev tool, so
  // playwright-core (a development dependency) is loaded from node_modules.
  build({
    ...common,
    entryPoints: { 'browser-window': 'src/host/browser-window.ts' },
    outdir: 'dist',
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    external: [...common.external, 'playwright-core'],
  }),
  build({
    ...common,
    entryPoints: { main: 'electron/main.ts' },
    outdir: 'dist/electron',
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
  }),
  // A sandboxed preload must be a single CommonJS file that requires only 'electron'.
  build({
    ...common,
    entryPoints: { preload: 'electron/preload.ts' },
    outdir: 'dist/electron',
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    platform: 'browser',
    external: ['electron'],
  }),
]);
