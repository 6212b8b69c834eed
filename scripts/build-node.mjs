// Bundles the Node-side entry points with esbuild (options: scripts/node-bundle.mjs).
import { build } from 'esbuild';
import { ESM_REQUIRE_BANNER, NODE_BUNDLE } from './node-bundle.mjs';

await Promise.all([
  build({
    ...NODE_BUNDLE,
    entryPoints: {
      host: 'src/host/main.ts',
      server: 'src/server/main.ts',
      // The desk's store thread (src/client/sync/store-thread.ts), started by both hosts.
      'store-worker': 'src/client/sync/store-worker.ts',
      // The API's first-sync seed builder (src/server/sync/seeds.ts): the desk's store code.
      'seed-builder': 'src/client/sync/seed-builder.ts',
    },
    outdir: 'dist',
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    banner: ESM_REQUIRE_BANNER,
  }),
  // `npm start`'s Chromium window under the shell policy (scripts/start.mjs); a dev tool, so
  // playwright-core (a development dependency) is loaded from node_modules.
  build({
    ...NODE_BUNDLE,
    entryPoints: { 'browser-window': 'src/host/browser-window.ts' },
    outdir: 'dist',
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    external: [...NODE_BUNDLE.external, 'playwright-core'],
  }),
  build({
    ...NODE_BUNDLE,
    entryPoints: { main: 'electron/main.ts' },
    outdir: 'dist/electron',
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
  }),
  // A sandboxed preload must be a single CommonJS file that requires only 'electron'.
  build({
    ...NODE_BUNDLE,
    entryPoints: { preload: 'electron/preload.ts' },
    outdir: 'dist/electron',
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    platform: 'browser',
    external: ['electron'],
  }),
]);
