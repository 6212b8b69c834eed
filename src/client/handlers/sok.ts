import { AppError } from '../../domain/errors';
import { t } from '../../domain/i18n/tr';
import { REGISTERING_ROLES } from '../../domain/session';
import type { SokDraft } from '../../domain/sok';
import type { SokCreatePayload } from '../../domain/sync';
import type { Handlers } from '../dispatcher';
import type { HandlerDeps } from './deps';

export function sokHandlers(deps: HandlerDeps) {
  const { db, soks, events, outbox, blocks, sessions, sync } = deps;
  const exists = (table: string) => db.prepare(`SELECT 1 FROM ${table} WHERE code = ?`).pluck();
  const checks = [
    ['typeCode', exists('sok_type'), 'error.unknownType'],
    ['channelCode', exists('channel'), 'error.unknownChannel'],
    ['topicCode', exists('topic'), 'error.unknownTopic'],
    ['districtCode', exists('district'), 'error.unknownDistrict'],
  ] as const;

  function checkReferences(draft: SokDraft): void {
    const fields: Record<string, string> = {};
    for (const [field, stmt, message] of checks) {
      if (stmt.get(draft[field]) === undefined) fields[field] = t(message);
    }
    if (Object.keys(fields).length > 0) {
      throw new AppError('validation', t('validation.invalid'), fields);
    }
  }

  return {
    'sok.create': (draft) => {
      const session = sessions.load();
      if (!session) throw new AppError('unauthenticated', t('error.signedOut'));
      if (!REGISTERING_ROLES.has(session.user.role)) {
        throw new AppError('forbidden', t('error.roleCannotRegister'));
      }
      checkReferences(draft);
      const now = deps.now();
      // Row, search index, number and outbox entry commit together or not at all.
      const sok = db.transaction(() => {
        const regNo = blocks.draw(session.user.id);
        const created = soks.insert(draft, {
          regNo,
          now,
          originOrg: session.user.orgCode,
          createdBy: session.user.id,
        });
        const payload: SokCreatePayload = {
          ...draft,
          id: created.id,
          regNo,
          registeredAt: now.toISOString(),
        };
        outbox.enqueue('sok.create', created.id, payload, session.user.id, now);
        return soks.get(created.id) ?? created;
      })();
      events.emit('sok.changed', { id: sok.id });
      sync.refreshCounts();
      sync.trigger();
      return sok;
    },
    'sok.get': ({ id }) => {
      const sok = soks.get(id);
      if (!sok) throw new AppError('not-found', t('error.notFound'));
      return sok;
    },
    'sok.search': ({ query, limit }) => soks.search(query, limit),
  } satisfies Partial<Handlers>;
}
