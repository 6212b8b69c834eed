import { sql, type Kysely, type QueryCreator, type Selectable } from 'kysely';
import type { AuthUser } from '../auth/context';
import type { ServerDb } from '../db/open';
import type {
  Database,
  NotificationChannel,
  NotificationState,
  NotificationTable,
} from '../db/schema';
import { bumpCounter, withWriteLock } from '../db/write-lock';
import { visibilityFor, visibilityRule } from '../scope';

/**
 * The outbox's reads and writes. Every change a user can see (enqueue, retry scheduled, sent,
 * failed, recovered) gets a change sequence under the write lock, so it reaches clients through
 * the sync feed like any ŞÖK change. Claiming (pending → sending) does not: it is internal and
 * must not serialise the instances behind the write lock.
 */
export type NotificationRow = Selectable<NotificationTable>;

/** Delivery state as a client shows it on the ŞÖK. */
export interface ReceiptWire {
  id: string;
  sokId: string;
  channel: NotificationChannel;
  purpose: string;
  recipient: string;
  state: NotificationState;
  attempts: number;
  /** When the next attempt is due while pending; null otherwise. */
  nextAttemptAt: string | null;
  sentAt: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export function receiptToWire(row: NotificationRow): ReceiptWire {
  return {
    id: row.id,
    sokId: row.sok_id,
    channel: row.channel,
    purpose: row.purpose,
    recipient: row.recipient,
    state: row.state,
    attempts: Number(row.attempts),
    nextAttemptAt: row.state === 'pending' ? row.next_attempt_at : null,
    sentAt: row.sent_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface ClaimOptions {
  now: Date;
  limit: number;
  channels: readonly NotificationChannel[];
  claimTimeoutSeconds: number;
  /** Identifies this claim; results are written only while the row still carries it. */
  token: string;
}

/**
 * Atomically takes up to `limit` due pending rows for `channels` and marks them `sending`
 * (attempts + 1). PostgreSQL: `FOR UPDATE SKIP LOCKED`, so concurrent instances take disjoint
 * rows without waiting on each other. SQLite: one writer at a time (BEGIN IMMEDIATE), so a
 * select-then-update transaction is atomic.
 */
export async function claimDue(db: ServerDb, options: ClaimOptions): Promise<NotificationRow[]> {
  if (options.channels.length === 0 || options.limit < 1) return [];
  const nowIso = options.now.toISOString();
  const changes = {
    state: 'sending' as const,
    claim_token: options.token,
    claimed_until: new Date(
      options.now.getTime() + options.claimTimeoutSeconds * 1000,
    ).toISOString(),
    updated_at: nowIso,
  };
  const due = (qb: QueryCreator<Database>) =>
    qb
      .selectFrom('notification')
      .select('id')
      .where('state', '=', 'pending')
      .where('next_attempt_at', '<=', nowIso)
      .where('channel', 'in', options.channels)
      .orderBy('next_attempt_at')
      .limit(options.limit);

  if (db.dialect === 'postgres') {
    // The locking select sits in a MATERIALIZED CTE on purpose: written as
    // `where id in (select … limit n for update skip locked)` PostgreSQL may run the subquery
    // once per outer row, each run skipping the rows this very statement already updated,
    // so the claim would take every due row instead of n.
    return db
      .with(
        (wb) => wb('due').materialized(),
        (qb) => due(qb).forUpdate().skipLocked(),
      )
      .updateTable('notification')
      .from('due')
      .set((eb) => ({ ...changes, attempts: eb('notification.attempts', '+', 1) }))
      .whereRef('notification.id', '=', 'due.id')
      .where('notification.state', '=', 'pending')
      .returningAll('notification')
      .execute();
  }
  return db.transaction().execute(async (trx) => {
    const ids = (await due(trx).execute()).map((r) => r.id);
    if (ids.length === 0) return [];
    return trx
      .updateTable('notification')
      .set((eb) => ({ ...changes, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', ids)
      .where('state', '=', 'pending')
      .returningAll()
      .execute();
  });
}

export type AttemptOutcome =
  | { kind: 'sent'; providerMessageId: string | null }
  | { kind: 'retry'; error: string; nextAttemptAt: Date }
  | { kind: 'failed'; error: string };

/**
 * Writes the outcome of a claimed attempt, if the claim still holds (it may have expired and
 * been recovered meanwhile). Returns the change sequence, or null when the claim was lost.
 */
export async function recordOutcome(
  db: ServerDb,
  claimed: Pick<NotificationRow, 'id' | 'claim_token'>,
  outcome: AttemptOutcome,
  now: Date,
): Promise<number | null> {
  const nowIso = now.toISOString();
  return withWriteLock(db, async (trx) => {
    // Besides its holder, only recovery (under this lock) changes a `sending` row: this holds.
    const current = await trx
      .selectFrom('notification')
      .select(['state', 'claim_token'])
      .where('id', '=', claimed.id)
      .executeTakeFirst();
    if (current?.state !== 'sending' || current.claim_token !== claimed.claim_token) return null;
    const seq = (await bumpCounter(trx, 'change')).last;
    const released = {
      claim_token: null,
      claimed_until: null,
      updated_at: nowIso,
      change_seq: seq,
    };
    const changes =
      outcome.kind === 'sent'
        ? {
            ...released,
            state: 'sent' as const,
            sent_at: nowIso,
            provider_message_id: outcome.providerMessageId,
            last_error: null,
          }
        : outcome.kind === 'retry'
          ? {
              ...released,
              state: 'pending' as const,
              next_attempt_at: outcome.nextAttemptAt.toISOString(),
              last_error: outcome.error,
            }
          : { ...released, state: 'failed' as const, last_error: outcome.error };
    await trx.updateTable('notification').set(changes).where('id', '=', claimed.id).execute();
    return seq;
  });
}

export const INTERRUPTED_ERROR =
  'Gönderim yarıda kaldı (sunucu durmuş olabilir); yeniden denenecek.';
export const INTERRUPTED_FINAL_ERROR =
  'Gönderim yarıda kaldı (sunucu durmuş olabilir); deneme hakkı bitti.';

/**
 * Claims still `sending` after their timeout belong to an instance that died mid-attempt: they
 * go back to pending (due now), or to failed when that was the last allowed attempt. The
 * interrupted attempt counts, so a message that crashes the sender cannot loop forever; it may
 * have reached the citizen, so a duplicate is possible (better than no receipt).
 */
export async function recoverStaleClaims(
  db: ServerDb,
  now: Date,
  maxAttempts: number,
): Promise<number[]> {
  const nowIso = now.toISOString();
  const staleQuery = (qb: Kysely<Database>) =>
    qb
      .selectFrom('notification')
      .select(['id', 'attempts'])
      .where('state', '=', 'sending')
      .where('claimed_until', '<=', nowIso);
  // Checked first without the lock: every pass asks, and usually nothing is stale.
  if ((await staleQuery(db).limit(1).execute()).length === 0) return [];
  return withWriteLock(db, async (trx) => {
    const stale = await staleQuery(trx).execute();
    if (stale.length === 0) return [];
    const { first } = await bumpCounter(trx, 'change', stale.length);
    const seqs: number[] = [];
    for (const [i, row] of stale.entries()) {
      const final = Number(row.attempts) >= maxAttempts;
      await trx
        .updateTable('notification')
        .set({
          state: final ? 'failed' : 'pending',
          next_attempt_at: nowIso,
          last_error: final ? INTERRUPTED_FINAL_ERROR : INTERRUPTED_ERROR,
          claim_token: null,
          claimed_until: null,
          updated_at: nowIso,
          change_seq: first + i,
        })
        .where('id', '=', row.id)
        .execute();
      seqs.push(first + i);
    }
    return seqs;
  });
}

export const NOT_CONFIGURED_ERROR: Record<NotificationChannel, string> = {
  sms: 'SMS gönderimi yapılandırılmamış (ALO153_SMS_URL); yapılandırılınca gönderilecek.',
  email: 'E-posta gönderimi yapılandırılmamış (ALO153_SMTP_*); yapılandırılınca gönderilecek.',
};

/**
 * Pending rows of channels this instance cannot send get a visible reason (once), without
 * using up attempts. An instance that has the channel configured still claims and sends them.
 */
export async function markUnconfigured(
  db: ServerDb,
  channels: readonly NotificationChannel[],
  now: Date,
): Promise<number[]> {
  if (channels.length === 0) return [];
  const nowIso = now.toISOString();
  const unmarked = (qb: Kysely<Database>, channel: NotificationChannel) =>
    qb
      .selectFrom('notification')
      .select('id')
      .where('state', '=', 'pending')
      .where('channel', '=', channel)
      // "is null or != message", spelt as ranges so both databases answer it from
      // notification_unmarked_idx instead of reading every pending row.
      .where((eb) =>
        eb.or([
          eb('last_error', 'is', null),
          eb('last_error', '<', NOT_CONFIGURED_ERROR[channel]),
          eb('last_error', '>', NOT_CONFIGURED_ERROR[channel]),
        ]),
      )
      .where('attempts', '=', 0);
  const candidates = await Promise.all(
    channels.map(async (c) => (await unmarked(db, c).limit(1).execute()).length > 0),
  );
  if (!candidates.includes(true)) return [];
  return withWriteLock(db, async (trx) => {
    const seqs: number[] = [];
    for (const channel of channels) {
      const message = NOT_CONFIGURED_ERROR[channel];
      const rows = await unmarked(trx, channel).execute();
      if (rows.length === 0) continue;
      const { first } = await bumpCounter(trx, 'change', rows.length);
      // One statement per chunk (each row its own sequence number): the lock is held briefly.
      for (let from = 0; from < rows.length; from += 1000) {
        const part = rows.slice(from, from + 1000);
        const seqOf = part.map(
          (row, i) => sql`when ${row.id} then cast(${first + from + i} as bigint)`,
        );
        await trx
          .updateTable('notification')
          .set({
            last_error: message,
            updated_at: nowIso,
            change_seq: sql<number>`case id ${sql.join(seqOf, sql` `)} end`,
          })
          .where(
            'id',
            'in',
            part.map((row) => row.id),
          )
          .where('state', '=', 'pending')
          .execute();
      }
      seqs.push(...rows.map((_, i) => first + i));
    }
    return seqs;
  });
}

/** The earliest moment something may become due (a pending row or a claim expiring). */
export async function nextDueAt(
  db: Kysely<Database>,
  channels: readonly NotificationChannel[],
): Promise<Date | null> {
  const pending =
    channels.length === 0
      ? undefined
      : await db
          .selectFrom('notification')
          .select((eb) => eb.fn.min('next_attempt_at').as('at'))
          .where('state', '=', 'pending')
          .where('channel', 'in', channels)
          .executeTakeFirst();
  const claims = await db
    .selectFrom('notification')
    .select((eb) => eb.fn.min('claimed_until').as('at'))
    .where('state', '=', 'sending')
    .executeTakeFirst();
  const times = [pending?.at, claims?.at]
    .filter((t): t is string => typeof t === 'string')
    .map((t) => Date.parse(t));
  return times.length === 0 ? null : new Date(Math.min(...times));
}

/** Delivery state of each given ŞÖK's notifications, oldest first, e-mail before SMS. */
export async function deliveryStateFor(
  db: Kysely<Database>,
  sokIds: readonly string[],
): Promise<Map<string, ReceiptWire[]>> {
  const result = new Map<string, ReceiptWire[]>(sokIds.map((id) => [id, []]));
  if (sokIds.length === 0) return result;
  const rows = await db
    .selectFrom('notification')
    .selectAll()
    .where('sok_id', 'in', [...new Set(sokIds)])
    .orderBy('created_at')
    .orderBy('channel')
    .orderBy('id')
    .execute();
  for (const row of rows) result.get(row.sok_id)?.push(receiptToWire(row));
  return result;
}

export interface ReceiptChange {
  seq: number;
  op: 'receipt';
  receipt: ReceiptWire;
}

/**
 * Delivery-state changes after `cursor` on ŞÖKs the user may see, for the sync pull (merge with
 * the ŞÖK and revocation changes by seq, like access_revocation rows). Read inside the pull's
 * snapshot transaction.
 */
export async function receiptChangesSince(
  db: Kysely<Database>,
  user: Pick<AuthUser, 'role' | 'orgCode' | 'orgKind'>,
  cursor: number,
  limit: number,
): Promise<ReceiptChange[]> {
  // Who sees everything needs no join: read straight down the change_seq index.
  const rows =
    visibilityRule(user).kind === 'all'
      ? await db
          .selectFrom('notification')
          .selectAll()
          .where('change_seq', '>', cursor)
          .orderBy('change_seq')
          .limit(limit)
          .execute()
      : await db
          .selectFrom('notification')
          .innerJoin('sok', 'sok.id', 'notification.sok_id')
          .selectAll('notification')
          .where('notification.change_seq', '>', cursor)
          .where(visibilityFor(user))
          .orderBy('notification.change_seq')
          .limit(limit)
          .execute();
  return rows.map((row) => ({
    seq: Number(row.change_seq),
    op: 'receipt' as const,
    receipt: receiptToWire(row),
  }));
}

/**
 * Puts a failed notification back in the queue with a fresh set of attempts (after a bad number
 * was corrected at the provider, or the SMTP password was fixed). Returns the change sequence,
 * or null when the row is not failed.
 */
export async function requeueFailed(
  db: ServerDb,
  id: string,
  now: Date,
): Promise<{ seq: number; row: NotificationRow } | null> {
  const nowIso = now.toISOString();
  return withWriteLock(db, async (trx) => {
    const row = await trx
      .selectFrom('notification')
      .select(['state', 'awaiting_org'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (row?.state !== 'failed') return null;
    // A mail waiting for its organisation's mailbox can only go once there is one.
    let address: { recipient: string; awaiting_org: null } | Record<string, never> = {};
    if (row.awaiting_org !== null) {
      const org = await trx
        .selectFrom('organisation')
        .select('email')
        .where('code', '=', row.awaiting_org)
        .executeTakeFirst();
      if (org?.email == null || org.email === '') return null;
      address = { recipient: org.email, awaiting_org: null };
    }
    const seq = (await bumpCounter(trx, 'change')).last;
    const updated = await trx
      .updateTable('notification')
      .set({
        ...address,
        state: 'pending',
        attempts: 0,
        next_attempt_at: nowIso,
        updated_at: nowIso,
        change_seq: seq,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { seq, row: updated };
  });
}
