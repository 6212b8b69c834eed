import { AppError } from '../../domain/errors';
import { t } from '../../domain/i18n/tr';
import { parseTurkishPhone } from '../../domain/phone';
import { suggestRoute, type RoutingContext } from '../../domain/routing';
import { REGISTERING_ROLES } from '../../domain/session';
import type { Sok, SokDraft } from '../../domain/sok';
import type { SokCreatePayload, SokRoutePayload } from '../../domain/sync';
import { foldTurkish } from '../../domain/text';
import type { Handlers } from '../dispatcher';
import { readReferenceData } from '../store/reference-repo';
import { applyLocally } from '../sync/local-apply';
import type { HandlerDeps } from './deps';

export function sokHandlers(deps: HandlerDeps) {
  const { db, soks, events, outbox, blocks, sessions, sync, routing, timeline } = deps;
  const exists = (table: string) => db.prepare(`SELECT 1 FROM ${table} WHERE code = ?`).pluck();
  const checks = [
    ['typeCode', exists('sok_type'), 'error.unknownType'],
    ['channelCode', exists('channel'), 'error.unknownChannel'],
    ['topicCode', exists('topic'), 'error.unknownTopic'],
    ['districtCode', exists('district'), 'error.unknownDistrict'],
  ] as const;
  const orgExists = exists('organisation');
  const orgName = db.prepare('SELECT name FROM organisation WHERE code = ?').pluck();

  let context: RoutingContext | null = null;
  const routingContext = (): RoutingContext => {
    if (context) return context;
    const ref = readReferenceData(db);
    context = {
      districtOrg: new Map(
        ref.organisations.flatMap((o) =>
          o.kind === 'district-municipality' && o.districtCode
            ? [[o.districtCode, o.code] as const]
            : [],
        ),
      ),
      topicParent: new Map(ref.topics.map((x) => [x.code, x.parentCode])),
    };
    return context;
  };
  const suggest = (input: {
    topicCode: string;
    districtCode: string;
    mahalle: string;
    address: string;
  }) => suggestRoute(routing.rules(), input, routingContext());

  function signedInRegistrar() {
    const session = sessions.load();
    if (!session) throw new AppError('unauthenticated', t('error.signedOut'));
    if (!REGISTERING_ROLES.has(session.user.role)) {
      throw new AppError('forbidden', t('error.roleCannotRegister'));
    }
    return session;
  }

  function checkReferences(draft: SokDraft): void {
    const fields: Record<string, string> = {};
    for (const [field, stmt, message] of checks) {
      if (stmt.get(draft[field]) === undefined) fields[field] = t(message);
    }
    if (draft.targetOrg !== null && orgExists.get(draft.targetOrg) === undefined) {
      fields.targetOrg = t('error.unknownOrganisation');
    }
    if (Object.keys(fields).length > 0) {
      throw new AppError('validation', t('validation.invalid'), fields);
    }
  }

  function changed(id: string): void {
    events.emit('sok.changed', { id });
    sync.refreshCounts();
    sync.trigger();
  }

  return {
    'sok.create': (draft) => {
      const session = signedInRegistrar();
      checkReferences(draft);
      // Routing: the suggestion unless the agent chose another organisation, with a reason.
      const suggestion = suggest(draft);
      const targetOrg = draft.targetOrg ?? suggestion?.targetOrg ?? null;
      const followsRule = suggestion !== null && targetOrg === suggestion.targetOrg;
      if (!followsRule && targetOrg !== null && draft.routeReason.length < 5) {
        throw new AppError('validation', t('validation.invalid'), {
          routeReason: t('validation.routeReasonRequired'),
        });
      }
      const now = deps.now();
      // Row, search index, number and outbox entry commit together or not at all.
      const sok = db.transaction(() => {
        const regNo = blocks.draw(session.user.id);
        const routeRuleId = followsRule ? suggestion.ruleId : null;
        const created = soks.insert(
          { ...draft, routeReason: followsRule ? '' : draft.routeReason },
          {
            regNo,
            now,
            originOrg: session.user.orgCode,
            createdBy: session.user.id,
            targetOrg,
            routeRuleId,
          },
        );
        const payload: SokCreatePayload = {
          ...draft,
          targetOrg,
          routeReason: followsRule ? '' : draft.routeReason,
          id: created.id,
          regNo,
          registeredAt: now.toISOString(),
          routeRuleId,
        };
        outbox.enqueue('sok.create', created.id, payload, session.user.id, now);
        return soks.get(created.id) ?? created;
      })();
      changed(sok.id);
      return sok;
    },
    'sok.get': ({ id }) => {
      const sok = soks.get(id);
      if (!sok) throw new AppError('not-found', t('error.notFound'));
      return sok;
    },
    'sok.search': ({ query, limit }) => soks.search(query, limit),
    'sok.list': (filter) => soks.list(filter),
    'routing.preview': (input) => {
      const suggestion = suggest(input);
      return suggestion === null
        ? null
        : {
            ...suggestion,
            targetName:
              (orgName.get(suggestion.targetOrg) as string | undefined) ?? suggestion.targetOrg,
          };
    },
    'sok.route': ({ sokId, targetOrg, reason }) => {
      const session = sessions.load();
      if (!session) throw new AppError('unauthenticated', t('error.signedOut'));
      const sok = soks.get(sokId);
      if (!sok) throw new AppError('not-found', t('error.notFound'));
      if (orgExists.get(targetOrg) === undefined) {
        throw new AppError('validation', t('validation.invalid'), {
          targetOrg: t('error.unknownOrganisation'),
        });
      }
      if (sok.targetOrg === targetOrg) throw new AppError('conflict', t('error.alreadyRouted'));
      const now = deps.now();
      const payload: SokRoutePayload = { sokId, targetOrg, reason };
      db.transaction(() => {
        applyLocally(soks, 'sok.route', payload, now);
        outbox.enqueue('sok.route', sokId, payload, session.user.id, now);
      })();
      changed(sokId);
      return soks.get(sokId) as Sok;
    },
    'sok.timeline': ({ id }) => ({
      events: timeline.forSok(id),
      receipts: timeline.receiptsFor(id),
      pending: outbox.pendingForEntity(id).map((m) => ({ kind: m.kind, at: m.createdAt })),
    }),
    'sok.callerContext': ({ phone, topicCode, mahalle }) => {
      const parsed = parseTurkishPhone(phone);
      if (!parsed.ok) return { phone: null, soks: [], duplicates: [] };
      const earlier = soks.byPhone(parsed.e164, 50);
      const since = deps.now().getTime() - deps.duplicateWindowDays * 24 * 3600 * 1000;
      const place = foldTurkish(mahalle ?? '').trim();
      // Open ŞÖKs of the same topic and mahalle lately may be the same problem (from anyone).
      const duplicates =
        topicCode && place
          ? soks
              .openByTopic(topicCode, new Date(since))
              .filter((s) => foldTurkish(s.mahalle).trim() === place)
          : [];
      return { phone: parsed.display, soks: earlier, duplicates };
    },
    'sok.addContact': ({ sokId, citizenName, citizenPhone, note }) => {
      const session = signedInRegistrar();
      if (!soks.get(sokId)) throw new AppError('not-found', t('error.notFound'));
      const now = deps.now();
      db.transaction(() => {
        outbox.enqueue(
          'sok.addContact',
          sokId,
          { sokId, citizenName, citizenPhone, note },
          session.user.id,
          now,
        );
      })();
      changed(sokId);
      return null;
    },
  } satisfies Partial<Handlers>;
}
