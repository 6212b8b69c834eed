import { createHash } from 'node:crypto';
import { AppError } from '../../domain/errors';
import { t } from '../../domain/i18n/tr';
import { ApiFailure, NetworkFailure, type SessionUser } from '../api/http';
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
  const { api, sessions, sync, events, soks, db, offlineAuth } = deps;
  const resetScope = db.prepare("DELETE FROM meta WHERE key IN ('sync.cursor', 'sync.scope')");

  async function login(username: string, password: string) {
    const clientId = syncClientId(deps.installId, username);
    let session;
    try {
      session = await api.login(username, password, clientId);
    } catch (error) {
      if (error instanceof NetworkFailure) return loginOffline(username, password, clientId);
      if (
        error instanceof ApiFailure &&
        (error.code === 'account-disabled' ||
          // The server no longer takes a password this PC would still take offline.
          (error.status === 401 && (await offlineAuth.matches(username, password))))
      ) {
        offlineAuth.forget(username);
      }
      return viaApi(() => Promise.reject(error));
    }
    await offlineAuth.remember(session.user, password, deps.now());
    return signedIn(session.user);
  }

  /** The API is unreachable: a user who signed in here before may work on, queued as usual. */
  async function loginOffline(username: string, password: string, clientId: string) {
    const checked = await offlineAuth.check(username, password, deps.now());
    if (!checked.ok) {
      const key =
        checked.reason === 'wrong-password'
          ? 'auth.invalidCredentials'
          : checked.reason === 'expired'
            ? 'auth.offlineExpired'
            : checked.reason === 'locked'
              ? 'auth.offlineLocked'
              : 'auth.offlineUnknown';
      throw new AppError(
        checked.reason === 'wrong-password' ? 'unauthenticated' : 'unavailable',
        t(key),
      );
    }
    api.startOffline(checked.user, clientId, password);
    return signedIn(checked.user);
  }

  function signedIn(u: SessionUser) {
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
      const session = sessions.load();
      return {
        user: session?.user ?? null,
        needsSetup,
        demoAvailable,
        apiUrl: api.baseUrl,
        offline: session?.offline === true,
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
      await viaApi(() => api.auth.changePassword({ body: { currentPassword, newPassword } }));
      // The server ends every session on a password change; offline sign-in takes the new one.
      const user = sessions.load()?.user;
      if (user) await offlineAuth.remember(user, newPassword, deps.now());
      return null;
    },
  } satisfies Partial<Handlers>;
}
