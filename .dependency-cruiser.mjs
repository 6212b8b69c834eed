// @ts-check
/**
 * Import rules for the whole repository, checked by `npm run lint` (dependency-cruiser). The map
 * of the layers is docs/architecture.md; this file is what enforces it.
 *
 * - Layer rules are ALLOWLISTS (`allowed`): an import that no rule below allows is an error
 *   ("not-in-allowed"). A new library in a layer is added here on purpose, in review.
 * - `forbidden` holds what an allowlist cannot say: no import cycles, production code never
 *   imports test scaffolding, migrations import no live code.
 *
 * Paths are relative to the repository root. Type-only imports count like any other
 * (tsPreCompilationDeps): a layer that needs another layer's types is coupled to it.
 */

/** A regular expression for the named npm packages (and their @types/ twins). */
const npm = (/** @type {string[]} */ ...names) =>
  `^node_modules/(@types/)?(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})/`;

/** Test code: tests, test/ (the scaffolding) and benchmarks. Everything else is production code. */
const TEST_CODE = '(^(test|bench)/|\\.(test|bench)\\.tsx?$)';

/** The migrations themselves (their tests are tests of the store, like any other). */
const NOT_A_TEST = '(?!.*\\.test\\.ts$)';
const MIGRATIONS = {
  desk: `^src/client/store/migrations/${NOT_A_TEST}`,
  server: `^src/server/db/migrations/${NOT_A_TEST}`,
  both: `^(src/client/store/migrations|src/server/db/migrations)/${NOT_A_TEST}`,
};

/** The server's one entry point for those that embed it (the desktop shell and the browser host). */
const EMBEDDED_SERVER = '^src/server/embedded\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  allowedSeverity: 'error',
  allowed: [
    // ── src/domain: pure rules and types. No I/O, no Node, no other layer.
    {
      comment: 'src/domain imports itself and pure libraries only.',
      from: { path: '^src/domain/' },
      to: {
        path: ['^src/domain/', npm('zod', 'date-fns', 'libphonenumber-js')],
      },
    },

    // ── src/client: the desk's core (local store, sync). Never electron, the renderer or the server.
    {
      comment: 'src/client imports the domain, Node and its storage and network libraries.',
      from: { path: '^src/client/', pathNot: MIGRATIONS.desk },
      to: {
        path: ['^src/(client|domain)/', npm('better-sqlite3', 'ws', 'zod', 'rotating-file-stream')],
      },
    },
    {
      comment: 'src/client uses Node.',
      from: { path: '^src/client/', pathNot: MIGRATIONS.desk },
      to: { dependencyTypes: ['core'] },
    },

    // ── src/server: the central API. Never the desk, the host, electron or the renderer.
    {
      comment: 'src/server imports the domain, Node, the server libraries and its data files.',
      from: { path: '^src/server/', pathNot: MIGRATIONS.server },
      to: {
        path: [
          '^src/(server|domain)/',
          '^resources/(reference|templates)/[^/]+\\.json$',
          npm(
            '@fastify/formbody',
            '@fastify/rate-limit',
            '@fastify/websocket',
            'better-sqlite3',
            'exceljs',
            'fast-xml-parser',
            'fastify',
            'fastify-type-provider-zod',
            'kysely',
            'nodemailer',
            'imapflow',
            'mailparser',
            'libmime',
            'html-to-text',
            'file-type',
            '@zone-eu/mailsplit',
            'pdfkit',
            'pg',
            'zod',
          ),
        ],
      },
    },
    {
      comment: 'src/server uses Node.',
      from: { path: '^src/server/', pathNot: MIGRATIONS.server },
      to: { dependencyTypes: ['core'] },
    },

    // ── Migrations are history: libraries and their own folder only (see forbidden below).
    {
      comment: 'A desk migration imports libraries, its own folder and the runner type.',
      from: { path: MIGRATIONS.desk },
      to: { path: ['^src/client/store/migrations/', npm('better-sqlite3', 'libphonenumber-js')] },
    },
    {
      comment: 'A desk migration may name the runner’s Migration type (types only, no code).',
      from: { path: MIGRATIONS.desk },
      to: { path: '^src/client/store/migrate\\.ts$', dependencyTypes: ['type-only'] },
    },
    {
      comment: 'A server migration imports its libraries and its own folder.',
      from: { path: MIGRATIONS.server },
      to: { path: ['^src/server/db/migrations/', npm('kysely', 'libphonenumber-js')] },
    },
    {
      comment: 'Migrations may use Node.',
      from: { path: MIGRATIONS.both },
      to: { dependencyTypes: ['core'] },
    },

    // ── src/host: the browser host (desk core + embedded API over a local web server).
    {
      comment: 'src/host wires the desk core and the embedded API; never electron or the renderer.',
      from: { path: '^src/host/' },
      to: { path: ['^src/(host|client|domain)/', EMBEDDED_SERVER, npm('ws', 'zod')] },
    },
    {
      comment:
        "`npm start`'s Chromium window (a dev tool, its own bundle) drives Chromium with playwright-core.",
      from: { path: '^src/host/browser-window\\.ts$' },
      to: { path: npm('playwright-core') },
    },
    {
      comment: 'src/host uses Node.',
      from: { path: '^src/host/' },
      to: { dependencyTypes: ['core'] },
    },

    // ── electron/: the thin shell. Electron, the desk core, the host and the embedded API.
    {
      comment: 'electron/ wires the desk core and the embedded API into Electron.',
      from: { path: '^electron/' },
      to: {
        path: [
          '^electron/',
          '^src/(client|host|domain)/',
          EMBEDDED_SERVER,
          npm('electron', 'electron-updater', 'zod'),
        ],
      },
    },
    {
      comment: 'electron/ uses Node.',
      from: { path: '^electron/' },
      to: { dependencyTypes: ['core'] },
    },

    // ── renderer/src: the UI. Speaks to the desk only through the typed bridge (src/domain/bridge).
    {
      comment: 'renderer/src imports the domain (with the bridge types) and browser libraries.',
      from: { path: '^renderer/src/' },
      to: {
        path: [
          '^renderer/src/',
          '^src/domain/',
          '^resources/reference/[^/]+\\.json$',
          '^resources/sounds/[^/]+\\.wav$',
          npm(
            '@tanstack/react-virtual',
            'downshift',
            'react',
            'react-dom',
            'recharts',
            'sip.js',
            'zod',
            'zustand',
          ),
        ],
      },
    },

    // ── Tests beside the code: what their layer may import, plus the test tools.
    {
      comment: 'A test may use Node, the test tools and the scaffolding in test/support.',
      from: { path: '\\.test\\.tsx?$' },
      to: { path: ['^test/support/', npm('vitest', 'fast-check', 'date-holidays')] },
    },
    {
      comment: 'A server test may open a WebSocket to the API as a desk does.',
      from: { path: '^src/server/.+\\.test\\.ts$' },
      to: { path: npm('ws') },
    },
    {
      comment: 'A test may use Node.',
      from: { path: '\\.test\\.tsx?$' },
      to: { dependencyTypes: ['core'] },
    },

    // ── test/, bench/ and scripts/ are tools around the product, not layers of it.
    {
      comment: 'test/ drives every layer.',
      from: { path: '^test/' },
      to: {
        path: '^(src|renderer/src|electron|scripts|test|resources)/',
      },
    },
    {
      comment:
        'bench/ drives the desk core and the API with the test scaffolding, bundled as the build bundles them.',
      from: { path: '^bench/' },
      to: { path: ['^(src|test|bench|resources)/', '^scripts/node-bundle\\.mjs$'] },
    },
    {
      comment:
        "scripts/ are build and start tools (the icon is drawn with the shell's PNG writer).",
      from: { path: '^scripts/' },
      to: { path: ['^scripts/', '^electron/png\\.ts$'] },
    },
    {
      comment: 'test/, bench/ and scripts/ may use Node and any declared package.',
      from: { path: '^(test|bench|scripts)/' },
      to: { dependencyTypes: ['core', 'npm', 'npm-dev'] },
    },
  ],

  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'No import cycles: a module and what it imports must be loadable in one order. Break a ' +
        'cycle by moving the shared piece (often a type) into its own module.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-test-code-in-production',
      severity: 'error',
      comment:
        'Production code never imports tests, test/ (the scaffolding lives in test/support), ' +
        'benchmarks or any test-support / test-fakes module.',
      from: { pathNot: TEST_CODE },
      to: {
        path: [
          '^(test|bench)/',
          '\\.(test|bench)\\.tsx?$',
          '(^|/)test-(support|fakes)(/|\\.tsx?$)',
        ],
      },
    },
    {
      name: 'migrations-import-no-live-code',
      severity: 'error',
      comment:
        'A migration is history: it must not change when today’s code does. It imports only ' +
        'libraries and helpers frozen in its own migrations folder (a desk migration may also ' +
        'name the runner’s Migration type).',
      from: { path: MIGRATIONS.both },
      to: {
        dependencyTypesNot: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer'],
        // $1: the migration's own folder.
        pathNot: ['^$1/', '^src/client/store/migrate\\.ts$'],
      },
    },
    {
      name: 'browser-window-is-dev-tooling',
      severity: 'error',
      comment:
        "src/host/browser-window.ts (playwright-core, a development dependency) is `npm start`'s " +
        "and the tests' own bundle: no production module imports it.",
      from: { path: '^(src|electron|renderer/src)/', pathNot: TEST_CODE },
      to: { path: '^src/host/browser-window\\.ts$' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves to a file or a declared package.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-undeclared-package',
      severity: 'error',
      comment: 'A package that is imported is in package.json, not only there by chance.',
      from: {},
      to: {
        dependencyTypes: ['npm-no-pkg', 'npm-unknown'],
      },
    },
  ],

  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|release|coverage)/' },
    tsPreCompilationDeps: true,
    // Worktrees share one node_modules through a symlink: keep its path, not the target's.
    preserveSymlinks: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
