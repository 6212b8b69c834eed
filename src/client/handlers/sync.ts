import { AppError } from '../../domain/errors';
import { t } from '../../domain/i18n/tr';
import { formatPhoneForDisplay } from '../../domain/phone';
import type { SokCreatePayload } from '../../domain/sync';
import type { Handlers } from '../dispatcher';
import { describeError } from '../sync/engine';
import type { HandlerDeps } from './deps';

export function syncHandlers(deps: HandlerDeps) {
  const { outbox, sync, db, soks, sessions, events } = deps;
  const topicName = db.prepare('SELECT name FROM topic WHERE code = ?').pluck();

  return {
    'sync.status': () => sync.getStatus(),
    'sync.now': async () => {
      await sync.syncNow();
      return sync.getStatus();
    },
    'sync.rejected': () =>
      outbox.rejected().map((m) => {
        const p = m.payload as Partial<SokCreatePayload>;
        const topic = (topicName.get(p.topicCode ?? '') as string | undefined) ?? p.topicCode ?? '';
        const phone = p.citizenPhone ? formatPhoneForDisplay(p.citizenPhone) : '';
        return {
          mutationId: m.mutationId,
          kind: m.kind,
          entityId: m.entityId,
          summary: [p.regNo, topic, p.citizenName, phone].filter(Boolean).join(' · '),
          message: m.error ? describeError(m.error) : '',
          createdAt: m.createdAt,
        };
      }),
    'sync.resolve': ({ mutationId, action }) => {
      const entry = outbox.get(mutationId);
      if (!entry || entry.state !== 'rejected')
        throw new AppError('not-found', t('error.notFound'));
      const session = sessions.load();
      if (action === 'retry' && !session)
        throw new AppError('unauthenticated', t('error.signedOut'));
      db.transaction(() => {
        outbox.remove(mutationId);
        if (action === 'discard' || !session) return;
        // Re-queue as a new mutation; a number the server refused is left for it to assign.
        const p = entry.payload as SokCreatePayload;
        const payload = { ...p, regNo: entry.error?.fields?.regNo ? null : p.regNo };
        if (entry.kind === 'sok.create' && !soks.get(p.id)) {
          soks.insert(payload, {
            id: p.id,
            regNo: payload.regNo,
            now: new Date(p.registeredAt),
            originOrg: session.user.orgCode,
            createdBy: session.user.id,
          });
        }
        outbox.enqueue(entry.kind, entry.entityId, payload, session.user.id, deps.now());
      })();
      events.emit('sok.changed', { id: entry.entityId });
      sync.refreshCounts();
      sync.trigger();
      return null;
    },
  } satisfies Partial<Handlers>;
}
