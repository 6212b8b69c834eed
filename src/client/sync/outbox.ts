import type { MutationError, MutationKind } from '../../domain/sync';
import type { Db } from '../store/database';

export interface OutboxEntry {
  mutationId: number;
  kind: MutationKind;
  entityId: string;
  payload: unknown;
  userId: string | null;
  createdAt: string;
  state: 'pending' | 'rejected';
  error: MutationError | null;
}

interface Row {
  mutation_id: number;
  kind: MutationKind;
  entity_id: string;
  payload: string;
  user_id: string | null;
  created_at: string;
  state: 'pending' | 'rejected';
  error: string | null;
}

const toEntry = (r: Row): OutboxEntry => ({
  mutationId: r.mutation_id,
  kind: r.kind,
  entityId: r.entity_id,
  payload: JSON.parse(r.payload) as unknown,
  userId: r.user_id,
  createdAt: r.created_at,
  state: r.state,
  error: r.error === null ? null : (JSON.parse(r.error) as MutationError),
});

/**
 * The local outbox. `enqueue` must run inside the same transaction as the local change it
 * describes, so a change and its mutation are committed together or not at all.
 */
export function createOutbox(db: Db) {
  const insert = db.prepare(
    `INSERT INTO outbox (kind, entity_id, payload, user_id, created_at) VALUES (?, ?, ?, ?, ?)`,
  );
  // A user's stream: their own mutations and those made before anyone signed in.
  const pendingFor = db.prepare(
    `SELECT * FROM outbox WHERE state = 'pending' AND (user_id = ? OR user_id IS NULL)
     ORDER BY mutation_id LIMIT ?`,
  );
  const byId = db.prepare('SELECT * FROM outbox WHERE mutation_id = ?');
  const remove = db.prepare('DELETE FROM outbox WHERE mutation_id = ?');
  const reject = db.prepare(
    "UPDATE outbox SET state = 'rejected', error = ? WHERE mutation_id = ? AND state = 'pending'",
  );
  const rejected = db.prepare("SELECT * FROM outbox WHERE state = 'rejected' ORDER BY mutation_id");
  const anyPending = db
    .prepare("SELECT EXISTS (SELECT 1 FROM outbox WHERE state = 'pending')")
    .pluck();
  const pendingEntities = db
    .prepare("SELECT DISTINCT entity_id FROM outbox WHERE state = 'pending'")
    .pluck();
  const pendingForEntity = db.prepare(
    "SELECT * FROM outbox WHERE entity_id = ? AND state = 'pending' ORDER BY mutation_id",
  );
  // Separate indexed counts: this runs after every local change.
  const counts = db.prepare(
    `SELECT
       (SELECT count(*) FROM outbox WHERE state = 'pending' AND user_id = @user)
         + (SELECT count(*) FROM outbox WHERE state = 'pending' AND user_id IS NULL) AS mine,
       (SELECT count(*) FROM outbox WHERE state = 'pending' AND user_id IS NOT NULL)
         - (SELECT count(*) FROM outbox WHERE state = 'pending' AND user_id = @user) AS others,
       (SELECT count(*) FROM outbox WHERE state = 'rejected') AS rejected`,
  );

  return {
    enqueue(
      kind: MutationKind,
      entityId: string,
      payload: unknown,
      userId: string,
      at: Date,
    ): number {
      const info = insert.run(kind, entityId, JSON.stringify(payload), userId, at.toISOString());
      return Number(info.lastInsertRowid);
    },
    pending(userId: string, limit: number): OutboxEntry[] {
      return (pendingFor.all(userId, limit) as Row[]).map(toEntry);
    },
    get(mutationId: number): OutboxEntry | null {
      const row = byId.get(mutationId) as Row | undefined;
      return row ? toEntry(row) : null;
    },
    /** Whether any mutation (of any user) waits to be pushed. */
    hasPending(): boolean {
      return anyPending.get() === 1;
    },
    /** The records (ŞÖKs, calls …) with a mutation waiting to be pushed. */
    pendingEntities(): Set<string> {
      return new Set(pendingEntities.all() as string[]);
    },
    pendingForEntity(entityId: string): OutboxEntry[] {
      return (pendingForEntity.all(entityId) as Row[]).map(toEntry);
    },
    remove(mutationId: number): void {
      remove.run(mutationId);
    },
    markRejected(mutationId: number, error: MutationError): void {
      reject.run(JSON.stringify(error), mutationId);
    },
    rejected(): OutboxEntry[] {
      return (rejected.all() as Row[]).map(toEntry);
    },
    counts(userId: string): { pending: number; othersPending: number; rejected: number } {
      const r = counts.get({ user: userId }) as {
        mine: number | null;
        others: number | null;
        rejected: number | null;
      };
      return { pending: r.mine ?? 0, othersPending: r.others ?? 0, rejected: r.rejected ?? 0 };
    },
  };
}
export type Outbox = ReturnType<typeof createOutbox>;
