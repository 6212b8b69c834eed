/**
 * The standalone central API (`npm run server`). Configuration comes from the environment:
 * DATABASE_URL (postgres://… for PostgreSQL; otherwise SQLite at ALO153_SERVER_DB, default
 * ./.data/server.sqlite), PORT (8153), HOST (127.0.0.1) and the ALO153_* settings in config.ts.
 *
 * This file always starts a server when loaded; to embed the server import `startServer` from
 * ./start instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ConfigError, configFromEnv } from './config';
import { startServer } from './start';

/** The seed builder bundled next to this file (dist/seed-builder.mjs); from the sources: none. */
const SEED_BUILDER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'seed-builder.mjs');

async function main(): Promise<void> {
  const config = configFromEnv(process.env);
  const server = await startServer(config, {
    ...(fs.existsSync(SEED_BUILDER)
      ? { seedBuilder: (workerData) => new Worker(SEED_BUILDER, { workerData }) }
      : {}),
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.app.log.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  // Configuration and start-up problems are for an operator: one clear message, no stack.
  const message =
    error instanceof ConfigError
      ? error.message
      : `Alo 153 server failed to start: ${String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
