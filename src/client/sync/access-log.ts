import { randomUUID } from 'node:crypto';
import type { AccessEntry, AccessKind } from '../../domain/kvkk';
import type { ApiClient } from '../api/http';
import type { Db } from '../store/database';

/**
 * The desk's access log (KVKK, docs/kvkk.md): every time a user sees a citizen's unmasked contact
 * details, one entry is written to the local store at once (it survives a restart or a day
 * offline) and sent by the sync engine after its push; an entry leaves the store only once the
 * API has stored it. Entries carry their own id, so a resend after a lost answer is stored once.
 */
export function createAccessLog(db: Db, options: { sameViewMs?: number } = {}) {
  const sameViewMs = options.sameViewMs ?? SAME_VIEW_MS;
  // When each (user, kind, ŞÖK) was last recorded by this app: a screen showing the same data
  // again (the detail reloads after every sync, the screen pop after every change) is the same
  // view, not a new one.
  const lastRecorded = new Map<string, number>();
  const insert = db.prepare(
    'INSERT INTO access_outbox (id, user_id, kind, sok_id, at, detail) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const pendingFor = db.prepare(
    'SELECT id, kind, sok_id, at, detail FROM access_outbox WHERE user_id = ? ORDER BY at, id LIMIT ?',
  );
  const remove = db.prepare('DELETE FROM access_outbox WHERE id = ?');
  const count = db.prepare('SELECT count(*) FROM access_outbox').pluck();

  return {
    /** Records that `userId` saw contact details: one entry per ŞÖK (or one without a ŞÖK). */
    record(
      userId: string,
      kind: AccessKind,
      sokIds: readonly (string | null)[],
      at: Date,
      detail = '',
    ): void {
      const iso = at.toISOString();
      const time = at.getTime();
      if (lastRecorded.size > 10_000) {
        for (const [key, last] of lastRecorded) {
          if (time - last >= sameViewMs) lastRecorded.delete(key);
        }
      }
      // Decided in memory first: a live list refreshing 500 rows again within the 10 minutes
      // touches no table at all; new entries go in one transaction.
      const fresh: (string | null)[] = [];
      for (const sokId of sokIds) {
        const last = lastRecorded.get(keyOf(userId, kind, sokId));
        const same =
          !EVERY_TIME.has(kind) &&
          last !== undefined &&
          time - last >= 0 &&
          time - last < sameViewMs;
        if (!same) fresh.push(sokId);
      }
      if (fresh.length === 0) return;
      db.transaction(() => {
        for (const sokId of fresh) insert.run(randomUUID(), userId, kind, sokId, iso, detail);
      })();
      // Remembered only once stored: a failed write is not counted as a view.
      for (const sokId of fresh) lastRecorded.set(keyOf(userId, kind, sokId), time);
    },
    pending(userId: string, limit: number): AccessEntry[] {
      return (
        pendingFor.all(userId, limit) as {
          id: string;
          kind: AccessKind;
          sok_id: string | null;
          at: string;
          detail: string;
        }[]
      ).map((r) => ({ id: r.id, kind: r.kind, sokId: r.sok_id, at: r.at, detail: r.detail }));
    },
    remove(ids: readonly string[]): void {
      db.transaction(() => {
        for (const id of ids) remove.run(id);
      })();
    },
    count: () => count.get() as number,
  };
}
export type AccessLog = ReturnType<typeof createAccessLog>;

const keyOf = (userId: string, kind: AccessKind, sokId: string | null) =>
  `${userId} ${kind} ${sokId ?? ''}`;

/**
 * The same user seeing the same ŞÖK's data in the same way again within this time is one view
 * (the screens reload on every sync and change while they are open).
 */
const SAME_VIEW_MS = 10 * 60_000;

/**
 * Acts a user performs on purpose, each its own entry however soon it is repeated: a reveal
 * ("Göster") and an export. Views are what screens show, again on every reload.
 */
const EVERY_TIME: ReadonlySet<AccessKind> = new Set(['reveal', 'export']);

/** The API's batch limit for `POST /kvkk/access`. */
const BATCH = 500;

/**
 * Sends this user's pending entries in batches and removes each batch once the API answered
 * (it stores an entry once however often it is sent). Entries of other users on this PC wait
 * for their own sessions: the API records the sender as the one who saw the data.
 */
export async function pushAccessLog(
  deps: { api: ApiClient; accessLog: AccessLog },
  userId: string,
): Promise<void> {
  for (;;) {
    const batch = deps.accessLog.pending(userId, BATCH);
    if (batch.length === 0) return;
    await deps.api.kvkk.recordAccess({ body: { entries: batch } });
    deps.accessLog.remove(batch.map((e) => e.id));
  }
}
