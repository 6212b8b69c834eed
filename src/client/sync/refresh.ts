import { DEFAULT_RETENTION, retentionCutoffs } from '../../domain/kvkk';
import { ApiFailure, NetworkFailure, type ApiClient } from '../api/http';
import type { SokRepo } from '../store/sok-repo';
import type { Db } from '../store/database';
import type { RoutingRepo } from '../store/routing-repo';
import type { Workflow } from '../workflow';
import type { SyncMeta } from './meta';

/** Fetches the callback workflow's settings (calendar, policy) when they changed (ETag). */
export async function refreshWorkflowSettings(deps: {
  db: Db;
  api: ApiClient;
  workflow?: Workflow | undefined;
}): Promise<void> {
  const workflow = deps.workflow;
  if (!workflow) return;
  const fresh = await deps.api.workflowSettings(workflow.etag());
  if (fresh === null) return;
  deps.db.transaction(() => workflow.replace(fresh.settings, fresh.etag))();
}

/** Fetches the routing rules when they changed (ETag), for offline previews. */
export async function refreshRoutingRules(deps: {
  db: Db;
  api: ApiClient;
  routing: RoutingRepo;
  meta: SyncMeta;
}): Promise<void> {
  const etag = (deps.meta.get.get('routing.etag') as string | undefined) ?? null;
  const fresh = await deps.api.routingRules(etag);
  if (fresh === null) return;
  deps.db.transaction(() => {
    deps.routing.replace(fresh.rules);
    if (fresh.etag) deps.meta.set.run('routing.etag', fresh.etag);
  })();
}

/**
 * The desk's KVKK cutoff for closed ŞÖKs from the period last heard from the API (or the
 * default): what dropOldPersonalData drops, and what a pulled page stores dropped already.
 */
export function deskDropCutoff(meta: SyncMeta, now: Date): Date {
  let days = Number((meta.get.get('kvkk.deskClosedDays') as string | undefined) ?? NaN);
  if (!Number.isInteger(days) || days < 1) days = DEFAULT_RETENTION.deskClosedDays;
  return retentionCutoffs({ ...DEFAULT_RETENTION, deskClosedDays: days }, now).deskClosed;
}

/**
 * KVKK (docs/kvkk.md): after a sync the desk drops the contact data of closed ŞÖKs last changed
 * more than the schedule's desk period ago. The period is read from the API at each run and
 * remembered; a desk that never read it uses the default (30 days).
 */
export async function dropOldPersonalData(deps: {
  api: ApiClient;
  soks: SokRepo;
  meta: SyncMeta;
  now?: () => Date;
}): Promise<number> {
  try {
    const { deskClosedDays } = await deps.api.kvkk.deskRetention();
    deps.meta.set.run('kvkk.deskClosedDays', String(deskClosedDays));
  } catch (error) {
    // An API without the route (older), refusing this role, or unreachable: the last known
    // period, or the default. A session that ended is the run's business (it signs out).
    const fallBack =
      error instanceof NetworkFailure ||
      (error instanceof ApiFailure && (error.status === 403 || error.status === 404));
    if (!fallBack) throw error;
  }
  const now = deps.now?.() ?? new Date();
  return deps.soks.dropPersonalData(deskDropCutoff(deps.meta, now), now);
}
