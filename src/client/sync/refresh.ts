import type { ApiClient } from '../api/http';
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
