import { suggestRoute, type RoutingContext } from '../../domain/routing';
import type { Handlers } from '../dispatcher';
import { readReferenceData } from '../store/reference-repo';
import type { HandlerDeps } from './deps';
import { viaApi } from './errors';

/**
 * The administrator's routing screen (issue #17 item 12): rules, history and rollback go straight
 * to the central API (never offline); the test runs `suggestRoute` — the intake's own function —
 * over the draft rules with this desk's reference data.
 */
export function routingAdminHandlers({ api, db }: HandlerDeps) {
  const orgName = db.prepare('SELECT name FROM organisation WHERE code = ?').pluck();
  const context = (): RoutingContext => {
    const ref = readReferenceData(db);
    return {
      districtOrg: new Map(
        ref.organisations.flatMap((o) =>
          o.kind === 'district-municipality' && o.districtCode
            ? [[o.districtCode, o.code] as const]
            : [],
        ),
      ),
      topicParent: new Map(ref.topics.map((x) => [x.code, x.parentCode])),
    };
  };
  return {
    'admin.routing.get': async () => (await viaApi(() => api.routing.rules())).rules,
    'admin.routing.save': ({ rules }) => viaApi(() => api.routing.replace({ body: { rules } })),
    'admin.routing.history': async () => (await viaApi(() => api.routing.history())).versions,
    'admin.routing.version': async ({ version }) =>
      (await viaApi(() => api.routing.version({ params: { version } }))).rules,
    'admin.routing.rollback': ({ version }) =>
      viaApi(() => api.routing.rollback({ body: { version } })),
    'admin.routing.test': ({ rules, ...input }) => {
      const s = suggestRoute(rules, input, context());
      return s === null
        ? null
        : { ...s, targetName: (orgName.get(s.targetOrg) as string | undefined) ?? s.targetOrg };
    },
  } satisfies Partial<Handlers>;
}
