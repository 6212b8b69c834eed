// How the Node-side entry points are bundled with esbuild (scripts/build-node.mjs, and the sync
// bench's client core process, bench/sync.bench.ts). Native and host-provided modules stay
// external: better-sqlite3 is loaded from node_modules, electron is provided by Electron itself;
// pdfkit, exceljs and the DejaVu font read their own data files at run time, so they stay in
// node_modules too.
export const NODE_BUNDLE = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  external: ['better-sqlite3', 'electron', 'pg-native', 'pdfkit', 'exceljs', 'dejavu-fonts-ttf'],
};

// An ES module bundle gets `require` for the CommonJS modules it bundles (under a name of its
// own, so a bundled module that imports createRequire itself does not clash).
export const ESM_REQUIRE_BANNER = {
  js: "import { createRequire as bundleCreateRequire } from 'node:module'; const require = bundleCreateRequire(import.meta.url);",
};
