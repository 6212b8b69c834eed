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
  // Versions increase strictly. A number may be missing while it is reserved for a change being
  // made on another branch (each feature owns its migration number); stores are only shipped
  // from a line where every number is present.
  sorted.forEach((m, i) => {
    const previous = i === 0 ? 0 : sorted[i - 1]!.version;
    if (m.version <= previous) throw new Error(`migration ${m.name}: duplicate version`);
  });
  const current = schemaVersion(db);
  const latest = sorted.at(-1)?.version ?? 0;
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
