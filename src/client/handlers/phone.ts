import { randomUUID } from 'node:crypto';
import type {
  AgentCallPayload,
  AgentStatePayload,
  CallWrapUpPayload,
  CurrentCall,
  PhoneSettingsView,
} from '../../domain/call';
import { AppError } from '../../domain/errors';
import { t } from '../../domain/i18n/tr';
import type { Handlers } from '../dispatcher';
import type { HandlerDeps } from './deps';

/**
 * The softphone's side of the core: per-user settings (the SIP password encrypted apart and
 * returned only by `phone.credentials`), the call log, the agent's state and the call in progress.
 * A call, its wrap-up, each state change and each change of the call in progress are written
 * locally and queued for the central API in one transaction.
 */
export function phoneHandlers(deps: HandlerDeps) {
  const { db, calls, phoneSecrets, outbox, sessions, sync, soks } = deps;

  function signedIn() {
    const session = sessions.load();
    if (!session) throw new AppError('unauthenticated', t('error.signedOut'));
    return session.user;
  }
  const view = (userId: string): PhoneSettingsView => ({
    settings: calls.settings(userId),
    hasPassword: phoneSecrets.has(userId),
  });
  const queued = () => {
    sync.refreshCounts();
    sync.trigger();
  };

  return {
    'phone.settings.get': () => view(signedIn().id),
    'phone.settings.save': ({ settings, password }) => {
      const user = signedIn();
      if (!password && !phoneSecrets.has(user.id)) {
        throw new AppError('validation', t('validation.invalid'), {
          password: t('phone.passwordRequired'),
        });
      }
      calls.saveSettings(user.id, settings, deps.now());
      if (password) phoneSecrets.set(user.id, password);
      return view(user.id);
    },
    'phone.credentials': () => {
      const user = signedIn();
      const settings = calls.settings(user.id);
      const password = phoneSecrets.get(user.id);
      if (!settings || password === null) {
        throw new AppError('not-found', t('phone.notConfigured'));
      }
      return {
        server: settings.server,
        user: settings.sipUser,
        authUser: settings.authUser || null,
        password,
        displayName: settings.displayName || user.displayName,
        iceServers: settings.iceServers,
      };
    },
    'agent.state.get': () => {
      const user = signedIn();
      return (
        calls.currentState(user.id) ?? {
          state: 'offline',
          reason: null,
          since: deps.now().toISOString(),
        }
      );
    },
    'agent.state.set': ({ state, reason }) => {
      const user = signedIn();
      if ((state === 'break') !== (reason !== null)) {
        throw new AppError('validation', t('phone.breakReasonRequired'), {
          reason: t('phone.breakReasonRequired'),
        });
      }
      const now = deps.now();
      const payload: AgentStatePayload = { id: randomUUID(), state, reason, at: now.toISOString() };
      db.transaction(() => {
        calls.recordState(user.id, payload);
        outbox.enqueue('agent.state', payload.id, payload, user.id, now);
      })();
      queued();
      return { state, reason, since: payload.at };
    },
    'call.record': (call) => {
      const user = signedIn();
      if (calls.call(call.id)) return calls.call(call.id)!;
      db.transaction(() => {
        calls.insertCall(user.id, call);
        outbox.enqueue('call.log', call.id, call, user.id, deps.now());
      })();
      queued();
      return calls.call(call.id)!;
    },
    'call.wrapUp': ({ callId, disposition, sokId, note }) => {
      const user = signedIn();
      const existing = calls.call(callId);
      if (!existing || existing.agentId !== user.id) {
        throw new AppError('not-found', t('phone.callNotFound'));
      }
      if (sokId !== null && !soks.get(sokId)) {
        throw new AppError('validation', t('validation.invalid'), {
          sokId: t('phone.sokNotFound'),
        });
      }
      const now = deps.now();
      const payload: CallWrapUpPayload = {
        callId,
        disposition,
        sokId,
        note,
        at: now.toISOString(),
      };
      db.transaction(() => {
        calls.wrapUp(payload);
        outbox.enqueue('call.wrapUp', callId, payload, user.id, now);
      })();
      queued();
      return calls.call(callId)!;
    },
    'call.current': ({ call }) => {
      const user = signedIn();
      // The softphone reports on every change of its calls; only news goes to the API.
      if (sameCall(calls.reportedCall(user.id), call)) return { queued: false };
      const now = deps.now();
      const payload: AgentCallPayload = { id: randomUUID(), call, at: now.toISOString() };
      db.transaction(() => {
        calls.setReportedCall(user.id, call);
        outbox.enqueue('agent.call', payload.id, payload, user.id, now);
      })();
      queued();
      return { queued: true };
    },
    'call.list': ({ missedOnly, limit }) => calls.list(signedIn().id, { missedOnly, limit }),
    'app.notify': (notification) => ({ shown: deps.notifier.raise(notification) }),
  } satisfies Partial<Handlers>;
}

function sameCall(a: CurrentCall | null, b: CurrentCall | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.id === b.id &&
    a.phase === b.phase &&
    a.direction === b.direction &&
    a.startedAt === b.startedAt &&
    a.answeredAt === b.answeredAt &&
    a.sokId === b.sokId
  );
}
