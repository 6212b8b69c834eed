import type { SokEvent } from '../../domain/sync';
import type { Db } from './database';

/** The timeline of each ŞÖK as the central API recorded it. */
export function createEventRepo(db: Db) {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO sok_event (id, sok_id, kind, actor_id, actor_org, at, note, data)
     VALUES (@id, @sokId, @kind, @actorId, @actorOrg, @at, @note, @data)`,
  );
  const forSok = db.prepare('SELECT * FROM sok_event WHERE sok_id = ? ORDER BY at, rowid');
  const removeFor = db.prepare('DELETE FROM sok_event WHERE sok_id = ?');
  return {
    add(event: SokEvent): void {
      insert.run({ ...event, data: event.data === null ? null : JSON.stringify(event.data) });
    },
    forSok(sokId: string): SokEvent[] {
      return (
        forSok.all(sokId) as {
          id: string;
          sok_id: string;
          kind: string;
          actor_id: string | null;
          actor_org: string | null;
          at: string;
          note: string;
          data: string | null;
        }[]
      ).map((r) => ({
        id: r.id,
        sokId: r.sok_id,
        kind: r.kind,
        actorId: r.actor_id,
        actorOrg: r.actor_org,
        at: r.at,
        note: r.note,
        data: r.data === null ? null : (JSON.parse(r.data) as Record<string, unknown>),
      }));
    },
    removeFor(sokId: string): void {
      removeFor.run(sokId);
    },
    /** Drops the timelines of ŞÖKs no longer in the store. */
    removeOrphans(): void {
      db.prepare('DELETE FROM sok_event WHERE sok_id NOT IN (SELECT id FROM sok)').run();
    },
  };
}
export type EventRepo = ReturnType<typeof createEventRepo>;
