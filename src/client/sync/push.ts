import type { MutationError, MutationResult } from '../../domain/sync';
import { NetworkFailure, type ApiClient } from '../api/http';
import type { EventHub } from '../events';
import type { Db } from '../store/database';
import type { SokRepo } from '../store/sok-repo';
import type { Workflow } from '../workflow';
import { isSokCommandKind } from '../../domain/workflow';
import { replaceWithServerSok } from './local-apply';
import type { Outbox } from './outbox';

export interface PushDeps {
  db: Db;
  api: ApiClient;
  outbox: Outbox;
  soks: SokRepo;
  events: EventHub;
  workflow?: Workflow | undefined;
}

/**
 * Pushes this user's outbox in batches of `batchSize` until it is empty, settling each
 * mutation the server answered in one transaction per batch; `afterBatch` runs after each
 * (the status's counts). A batch the server answered none of is a network failure.
 */
export async function pushOutbox(
  deps: PushDeps,
  userId: string,
  batchSize: number,
  afterBatch: () => void,
): Promise<void> {
  const { outbox, api } = deps;
  for (;;) {
    const batch = outbox.pending(userId, batchSize);
    if (batch.length === 0) return;
    const response = await api.push(
      batch.map((m) => ({ id: m.mutationId, kind: m.kind, payload: m.payload })),
    );
    const byId = new Map(response.results.map((r) => [r.id, r]));
    let progressed = false;
    deps.db.transaction(() => {
      for (const m of batch) {
        const result = byId.get(m.mutationId);
        if (!result) continue;
        progressed = true;
        settle(deps, m.mutationId, m.kind, m.entityId, result);
      }
    })();
    afterBatch();
    if (!progressed) throw new NetworkFailure('push made no progress');
  }
}

/** Applies the server's answer to one mutation, in the caller's transaction. */
function settle(
  deps: PushDeps,
  mutationId: number,
  kind: string,
  entityId: string,
  result: MutationResult,
): void {
  const { outbox, soks, events } = deps;
  if (result.status === 'applied') {
    outbox.remove(mutationId);
    return;
  }
  outbox.markRejected(mutationId, result.error);
  // Roll the optimistic change back to the server's truth (or away, if the server has none),
  // whatever the command; the changes still queued for it are applied on top again.
  if (isSokCommandKind(kind)) {
    if (result.entity) replaceWithServerSok(deps, result.entity);
    else if (kind === 'sok.create' || result.error.code === 'not-found') soks.remove(entityId);
  }
  events.emit('sok.changed', { id: entityId });
  events.emit('sync.rejected', { mutationId, kind, message: describeError(result.error) });
}

/** A failed push, reported once the pull after it has run. */
export class PushFailure extends Error {
  constructor(cause: unknown) {
    super('push failed', { cause });
    this.name = 'PushFailure';
  }
}

/** The refusal in one line: its message, then what its fields add (each text once). */
export function describeError(error: MutationError): string {
  const extra = [...new Set(Object.values(error.fields ?? {}))].filter((m) => m !== error.message);
  return [error.message, ...extra].join(' ');
}
