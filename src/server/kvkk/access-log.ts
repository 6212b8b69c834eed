import type { Kysely } from 'kysely';
import type { AccessEntry, AccessKind } from '../../domain/kvkk';
import type { Database } from '../db/schema';

export interface AccessActor {
  userId: string;
  orgCode: string;
  /** The desk's sync stream; null when the server itself served the data. */
  clientId: string | null;
}

/**
 * Appends entries to the access log. An entry the desk resends (same id) is stored once, so a
 * view queued in an outbox and pushed twice appears once. Entries about ŞÖKs the actor cannot
 * see are still stored: the log records what a desk says it showed, never filters it.
 */
export async function recordAccess(
  db: Kysely<Database>,
  actor: AccessActor,
  entries: readonly AccessEntry[],
  now: Date,
): Promise<number> {
  if (entries.length === 0) return 0;
  const nowIso = now.toISOString();
  const result = await db
    .insertInto('personal_data_access')
    .values(
      entries.map((e) => ({
        id: e.id,
        // A desk's clock is not trusted beyond the server's.
        at: new Date(e.at).getTime() > now.getTime() ? nowIso : new Date(e.at).toISOString(),
        recorded_at: nowIso,
        user_id: actor.userId,
        org_code: actor.orgCode,
        client_id: actor.clientId,
        kind: e.kind,
        sok_id: e.sokId,
        detail: e.detail,
      })),
    )
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/** A server-side access (an export the API produced, a subject search): one entry per ŞÖK. */
export async function recordServerAccess(
  db: Kysely<Database>,
  actor: AccessActor,
  kind: AccessKind,
  sokIds: readonly (string | null)[],
  detail: string,
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  await recordAccess(
    db,
    actor,
    sokIds.map((sokId) => ({ id: crypto.randomUUID(), kind, sokId, at, detail })),
    now,
  );
}

export interface AccessLogFilter {
  userId?: string;
  /** ŞÖKs of this citizen: E.164 phone or e-mail. */
  citizenPhone?: string;
  citizenEmail?: string;
  from?: string;
  to?: string;
  limit: number;
}

export interface AccessLogRow {
  id: string;
  at: string;
  userId: string;
  username: string | null;
  displayName: string | null;
  orgCode: string;
  clientId: string | null;
  kind: string;
  sokId: string | null;
  regNo: string | null;
  detail: string;
}

export async function readAccessLog(
  db: Kysely<Database>,
  filter: AccessLogFilter,
): Promise<AccessLogRow[]> {
  let q = db
    .selectFrom('personal_data_access as a')
    .leftJoin('app_user as u', 'u.id', 'a.user_id')
    .leftJoin('sok as s', 's.id', 'a.sok_id')
    .select([
      'a.id',
      'a.at',
      'a.user_id',
      'u.username',
      'u.display_name',
      'a.org_code',
      'a.client_id',
      'a.kind',
      'a.sok_id',
      's.reg_no',
      'a.detail',
    ]);
  if (filter.userId !== undefined) q = q.where('a.user_id', '=', filter.userId);
  if (filter.citizenPhone !== undefined) q = q.where('s.citizen_phone', '=', filter.citizenPhone);
  if (filter.citizenEmail !== undefined) q = q.where('s.citizen_email', '=', filter.citizenEmail);
  if (filter.from !== undefined) q = q.where('a.at', '>=', filter.from);
  if (filter.to !== undefined) q = q.where('a.at', '<', filter.to);
  const rows = await q.orderBy('a.at', 'desc').orderBy('a.id').limit(filter.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    userId: r.user_id,
    username: r.username,
    displayName: r.display_name,
    orgCode: r.org_code,
    clientId: r.client_id,
    kind: r.kind,
    sokId: r.sok_id,
    regNo: r.reg_no,
    detail: r.detail,
  }));
}
