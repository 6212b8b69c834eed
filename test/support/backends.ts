import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import {
  parseServerConfig,
  type ServerConfig,
  type ServerConfigInput,
} from '../../src/server/config';
import type { SqlDialect } from '../../src/server/db/columns';
import { openServerDb, type ServerDb } from '../../src/server/db/open';

/**
 * Every server test runs against both backends. PostgreSQL tests create a uniquely named
 * database on the test server and drop it afterwards; SQLite tests use a temporary file.
 *
 * ALO153_TEST_PG_URL points at the PostgreSQL maintenance database (default: the local trust
 * server's `test` database). ALO153_TEST_BACKENDS=sqlite narrows the run explicitly; nothing is
 * ever skipped silently.
 */
export const TEST_PG_URL =
  process.env.ALO153_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const BACKENDS: readonly SqlDialect[] = (
  process.env.ALO153_TEST_BACKENDS?.split(',').map((s) => s.trim()) ?? ['sqlite', 'postgres']
).filter((b): b is SqlDialect => b === 'sqlite' || b === 'postgres');

export interface TestBackend {
  kind: SqlDialect;
  db: ServerDb;
  /** A full server config pointing at this backend, with cheap scrypt and no logging. */
  config: ServerConfig;
  /** Closes the database and deletes it (drops the PG database, removes the SQLite files). */
  drop(): Promise<void>;
}

/** Config for tests: production shape, but fast hashing and silent logs. */
export function testConfig(overrides: ServerConfigInput = {}): ServerConfig {
  return parseServerConfig({
    logLevel: 'silent',
    scrypt: { logN: 10, r: 8, p: 1 },
    referenceFile: path.resolve('resources/reference/bursa.json'),
    routingFile: path.resolve('resources/routing/bursa.json'),
    loginRateLimitMax: 1000,
    // Tests run the callback sweep and the stats refresh themselves, at the times they choose.
    ...overrides,
    workflow: { sweepIntervalSeconds: 0, ...overrides.workflow },
    supervisor: { statsRefreshSeconds: 0, ...overrides.supervisor },
  });
}

export async function createTestBackend(
  kind: SqlDialect,
  overrides: ServerConfigInput = {},
  options: { migrate?: boolean } = {},
): Promise<TestBackend> {
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alo153-server-'));
    const config = testConfig({ ...overrides, sqliteFile: path.join(dir, 'server.sqlite') });
    const db = await openServerDb(config, options);
    return {
      kind,
      db,
      config,
      drop: async () => {
        await db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  const name = `alo153_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  const config = testConfig({ ...overrides, databaseUrl: url.toString(), pgPoolMax: 5 });
  let db: ServerDb;
  try {
    db = await openServerDb(config, options);
  } catch (error) {
    await adminQuery(`drop database if exists ${name} with (force)`);
    throw error;
  }
  return {
    kind,
    db,
    config,
    drop: async () => {
      await db.close();
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** `describe` once per backend; the body sets up its own backend with `createTestBackend`. */
export function forEachBackend(title: string, body: (kind: SqlDialect) => void): void {
  describe.each(BACKENDS.map((kind) => ({ kind })))(`${title} [$kind]`, ({ kind }) => body(kind));
}

/**
 * A backend of `kind` whose schema is not migrated, for the whole describe block (migration
 * tests): `set` receives it before the first test, and it is dropped after the last.
 */
export function useUnmigratedBackend(kind: SqlDialect, set: (backend: TestBackend) => void): void {
  let backend: TestBackend | undefined;
  beforeAll(async () => {
    backend = await createTestBackend(kind, {}, { migrate: false });
    set(backend);
  });
  afterAll(async () => {
    await backend?.drop();
  });
}
