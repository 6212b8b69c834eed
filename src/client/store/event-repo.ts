import type { ReceiptWire, SokEvent } from '../../domain/sync';
import type { Db } from './database';

/** The timeline of each ŞÖK as the central API recorded it. */
export function createEventRepo(db: Db) {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO sok_event (id, sok_id, kind, actor_id, actor_org, at, note, data)
     VALUES (@id, @sokId, @kind, @actorId, @actorOrg, @at, @note, @data)`,
  );
  const forSok = db.prepare('SELECT * FROM sok_event WHERE sok_id = ? ORDER BY at, rowid');
  const removeFor = db.prepare('DELETE FROM sok_event WHERE sok_id = ?');
  const upsertReceipt = db.prepare(
    `INSERT INTO receipt (id, sok_id, channel, purpose, recipient, state, attempts, next_attempt_at,
       sent_at, last_error, created_at, updated_at)
     VALUES (@id, @sokId, @channel, @purpose, @recipient, @state, @attempts, @nextAttemptAt,
       @sentAt, @lastError, @createdAt, @updatedAt)
     ON CONFLICT(id) DO UPDATE SET state = excluded.state, attempts = excluded.attempts,
       next_attempt_at = excluded.next_attempt_at, sent_at = excluded.sent_at,
       last_error = excluded.last_error, updated_at = excluded.updated_at`,
  );
  const receiptsFor = db.prepare('SELECT * FROM receipt WHERE sok_id = ? ORDER BY created_at');
  const removeReceipts = db.prepare('DELETE FROM receipt WHERE sok_id = ?');
  return {
    /** Delivery state of a message to the citizen (replaces the older state). */
    putReceipt(receipt: ReceiptWire): void {
      upsertReceipt.run(receipt);
    },
    receiptsFor(sokId: string): ReceiptWire[] {
      return (
        receiptsFor.all(sokId) as {
          id: string;
          sok_id: string;
          channel: ReceiptWire['channel'];
          purpose: string;
          recipient: string;
          state: ReceiptWire['state'];
          attempts: number;
          next_attempt_at: string | null;
          sent_at: string | null;
          last_error: string | null;
          created_at: string;
          updated_at: string;
        }[]
      ).map((r) => ({
        id: r.id,
        sokId: r.sok_id,
        channel: r.channel,
        purpose: r.purpose,
        recipient: r.recipient,
        state: r.state,
        attempts: r.attempts,
        nextAttemptAt: r.next_attempt_at,
        sentAt: r.sent_at,
        lastError: r.last_error,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      }));
    },
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
      removeReceipts.run(sokId);
    },
    /** Drops the timelines of ŞÖKs no longer in the store. */
    removeOrphans(): void {
      db.prepare('DELETE FROM sok_event WHERE sok_id NOT IN (SELECT id FROM sok)').run();
      db.prepare('DELETE FROM receipt WHERE sok_id NOT IN (SELECT id FROM sok)').run();
    },
  };
}
export type EventRepo = ReturnType<typeof createEventRepo>;
