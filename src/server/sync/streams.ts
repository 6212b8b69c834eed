import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { ApiError } from '../http/errors';
import { t } from '../i18n';

/** How often a taken stream id is derived again before the sign-in is refused. */
const MAX_DERIVATIONS = 4;

/**
 * The sync stream a sign-in writes to. A stream (`client` row) belongs for good to the user who
 * created it: its mutation log answers resent mutations, so whoever could write to it could
 * have their mutations answered from another user's log and make that user's work vanish
 * (Replicache's push protocol refuses a client that belongs to another user). When the id the
 * desk sent is another user's, this user gets a stream of their own derived from it, the same
 * one at every sign-in (resends stay idempotent). Desks never see it: pushes and leases name
 * the stream through the session.
 */
export async function bindSyncStream(
  trx: Kysely<Database>,
  requestedId: string,
  userId: string,
  nowIso: string,
): Promise<string> {
  let id = requestedId;
  for (let i = 0; i <= MAX_DERIVATIONS; i++) {
    await trx
      .insertInto('client')
      .values({ id, user_id: userId, created_at: nowIso, last_seen_at: nowIso })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    const owner = await trx
      .selectFrom('client')
      .select('user_id')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    if (owner.user_id === userId) {
      await trx.updateTable('client').set({ last_seen_at: nowIso }).where('id', '=', id).execute();
      return id;
    }
    id = createHash('sha256').update(`${id}:${userId}`).digest('base64url');
  }
  throw new ApiError(409, 'conflict', 'This clientId belongs to another user.', {
    userMessage: t('sync.streamTaken'),
  });
}

/** Refusal of a push or lease on a stream that is not the caller's (a session from before). */
export function foreignStream(): ApiError {
  return new ApiError(403, 'forbidden', 'This sync stream belongs to another user.', {
    userMessage: t('sync.streamNotYours'),
  });
}
