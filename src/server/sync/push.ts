import type { Insertable } from 'kysely';
import type { Mutation, MutationError, MutationResult } from '../../domain/sync';
import type { AuthContext } from '../auth/context';
import type { ServerDb } from '../db/open';
import type { MutationLogTable } from '../db/schema';
import { withWriteLock } from '../db/write-lock';
import { loadRoutingRules } from '../routing/rules';
import { applyMutation, type ReferenceIndex } from './mutations';

export interface PushOutcome {
  results: MutationResult[];
  lastMutationId: number;
  /** Highest change sequence written, 0 when nothing changed (nobody needs a poke). */
  lastSeq: number;
  rejected: { id: number; error: MutationError }[];
}

/**
 * Applies one push in one transaction under the write lock: mutations already recorded for this
 * stream are answered from the log; new ones are applied in order and recorded with the stream's
 * new high-water mark. Either the whole batch commits or none of it (the client re-sends).
 */
export async function applyPush(
  db: ServerDb,
  auth: AuthContext,
  mutations: readonly Mutation[],
  reference: ReferenceIndex,
  now: Date,
): Promise<PushOutcome> {
  return withWriteLock(db, async (trx) => {
    const client = await trx
      .selectFrom('client')
      .select('last_mutation_id')
      .where('id', '=', auth.clientId)
      .executeTakeFirstOrThrow();
    let last = Number(client.last_mutation_id);
    const seenIds = mutations.filter((m) => m.id <= last).map((m) => m.id);
    const logged = new Map(
      seenIds.length === 0
        ? []
        : (
            await trx
              .selectFrom('mutation_log')
              .select(['mutation_id', 'status', 'error'])
              .where('client_id', '=', auth.clientId)
              .where('mutation_id', 'in', seenIds)
              .execute()
          ).map((row) => [Number(row.mutation_id), row]),
    );

    const rules = await loadRoutingRules(trx);
    const outcome: PushOutcome = { results: [], lastMutationId: last, lastSeq: 0, rejected: [] };
    const log: Insertable<MutationLogTable>[] = [];
    const at = now.toISOString();
    for (const mutation of mutations) {
      if (mutation.id <= last) {
        // Already recorded: answer as the first time, change nothing.
        const row = logged.get(mutation.id);
        outcome.results.push(
          row?.status === 'rejected'
            ? {
                id: mutation.id,
                status: 'rejected',
                error: JSON.parse(row.error ?? '{}') as MutationError,
                entity: null,
              }
            : { id: mutation.id, status: 'applied' },
        );
        continue;
      }
      const applied = await applyMutation(
        { trx, auth, reference, rules, now },
        mutation.kind,
        mutation.payload,
      );
      log.push({
        client_id: auth.clientId,
        mutation_id: mutation.id,
        status: applied.status,
        error: applied.status === 'rejected' ? JSON.stringify(applied.error) : null,
        applied_at: at,
      });
      if (applied.status === 'applied') {
        outcome.results.push({ id: mutation.id, status: 'applied' });
        outcome.lastSeq = Math.max(outcome.lastSeq, applied.seq);
      } else {
        outcome.results.push({
          id: mutation.id,
          status: 'rejected',
          error: applied.error,
          entity: applied.entity,
        });
        outcome.rejected.push({ id: mutation.id, error: applied.error });
      }
      last = mutation.id;
    }
    if (log.length > 0) {
      await trx.insertInto('mutation_log').values(log).execute();
      await trx
        .updateTable('client')
        .set({ last_mutation_id: last, last_seen_at: at })
        .where('id', '=', auth.clientId)
        .execute();
    }
    outcome.lastMutationId = last;
    return outcome;
  });
}
