import { createHash } from 'node:crypto';
import { AppError } from '../../domain/errors';
import { t } from '../../domain/i18n/tr';
import { NetworkFailure } from '../api/http';
import type { Handlers } from '../dispatcher';
import type { HandlerDeps } from './deps';
import { viaApi } from './errors';

/**
 * One sync stream per user of this installation: mutation ids are contiguous per stream on the
 * server, so two people taking turns at one PC never push over each other's queue.
 */
export function syncClientId(installId: string, username: string): string {
  return createHash('sha256')
    .update(`${installId}:${username.trim().toLocaleLowerCase('tr')}`)
    .digest('base64url')
    .slice(0, 43);
}

export function authHandlers(deps: HandlerDeps) {
  const { api, sessions, sync, events, soks, db } = deps;
  const resetScope = db.prepare("DELETE FROM meta WHERE key IN ('sync.cursor', 'sync.scope')");

  async function login(username: string, password: string) {
    const session = await viaApi(() =>
      api.login(username, password, syncClientId(deps.installId, username)),
    );
    const u = session.user;
    const stored = db.prepare("SELECT value FROM meta WHERE key = 'auth.lastUser'").pluck().get();
    const sameScope = stored === `${u.id}:${u.orgCode}:${u.role}`;
    if (!sameScope) {
      // Someone else (or the same person in a new role) signs in: what the previous user could
      // see leaves this PC before anything is shown; work not yet sent stays queued.
      db.transaction(() => {
        soks.removeAllSynced();
        resetScope.run();
        db.prepare(
          "INSERT INTO meta (key, value) VALUES ('auth.lastUser', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        ).run(`${u.id}:${u.orgCode}:${u.role}`);
      })();
      events.emit('sok.changed', { id: '*' });
    }
    events.emit('auth.changed', { signedIn: true, reason: null });
    sync.refreshCounts();
    sync.trigger();
    return u;
  }

  return {
    'auth.status': async () => {
      let needsSetup: boolean | null = null;
      let demoAvailable = false;
      try {
        ({ needsSetup, demoAvailable } = await api.setupStatus());
      } catch (error) {
        if (!(error instanceof NetworkFailure)) throw error;
      }
      return {
        user: sessions.load()?.user ?? null,
        needsSetup,
        demoAvailable,
        apiUrl: api.baseUrl,
      };
    },
    'auth.demo': () => viaApi(() => api.setupDemo()),
    'auth.setup': async ({ username, displayName, password }) => {
      await viaApi(() => api.setupAdmin({ username, displayName, password }));
      return login(username, password);
    },
    'auth.login': ({ username, password }) => login(username, password),
    'auth.logout': async ({ force }) => {
      const session = sessions.load();
      if (!session) return null;
      const pending = deps.outbox.counts(session.user.id).pending;
      if (pending > 0 && !force) {
        throw new AppError('conflict', t('error.logoutPending', { count: pending }));
      }
      try {
        await api.logout();
      } catch {
        // Offline: the session is forgotten here; the server lets it expire.
        sessions.save(null);
      }
      events.emit('auth.changed', { signedIn: false, reason: null });
      sync.refreshCounts();
      return null;
    },
    'auth.changePassword': async ({ currentPassword, newPassword }) => {
      await viaApi(() => api.call('POST', '/auth/password', { currentPassword, newPassword }));
      return null;
    },
  } satisfies Partial<Handlers>;
}
