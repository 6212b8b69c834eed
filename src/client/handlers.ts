import type { AppInfo } from '../domain/bridge/contract';
import { AppError } from '../domain/errors';
import { t } from '../domain/i18n/tr';
import type { SokDraft } from '../domain/sok';
import type { Handlers } from './dispatcher';
import type { EventHub } from './events';
import type { Db } from './store/database';
import { readReferenceData } from './store/reference-repo';
import type { SokRepo } from './store/sok-repo';

export interface HandlerDeps {
  db: Db;
  soks: SokRepo;
  events: EventHub;
  info: AppInfo;
  now: () => Date;
}

export function createHandlers(deps: HandlerDeps): Handlers {
  const { db, soks, events } = deps;
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
    'app.info': () => deps.info,
    'reference.get': () => readReferenceData(db),
    'sok.create': (draft) => {
      checkReferences(draft);
      const sok = db.transaction(() => soks.insert(draft, { regNo: null, now: deps.now() }))();
      events.emit('sok.changed', { id: sok.id });
      return sok;
    },
    'sok.get': ({ id }) => {
      const sok = soks.get(id);
      if (!sok) throw new AppError('not-found', t('error.notFound'));
      return sok;
    },
    'sok.search': ({ query, limit }) => soks.search(query, limit),
  };
}
