import type { Database } from 'better-sqlite3';

/** One file per schema version (NNNN-what-it-does.ts), applied in order inside a transaction. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Database, migrations: readonly Migration[], target?: number): void {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name}: expected version ${i + 1}`);
  });
  const current = schemaVersion(db);
  const latest = sorted.length;
  if (current > latest) {
    throw new Error(
      `the local database is at schema version ${current}, newer than this app (${latest}); update the app`,
    );
  }
  for (const m of sorted) {
    if (m.version <= current || (target !== undefined && m.version > target)) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
