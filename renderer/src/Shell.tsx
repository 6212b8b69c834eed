import { useEffect, useState } from 'react';
import { flushSync } from 'react-dom';
import { REGISTERING_ROLES, type SessionUser } from '../../src/domain/session';
import { AdminUsers } from './AdminUsers';
import { Notice } from './fields';
import { Header, type View } from './Header';
import { ui } from './i18n';
import { RejectedPanel } from './RejectedPanel';
import { SokForm } from './SokForm';
import { SokSearch } from './SokSearch';
import { useApp } from './store';
import { useSync } from './sync-store';

/** The signed-in app: header, the ŞÖK workspace and, for admins, user administration. */
export function Shell({ user }: { user: SessionUser }) {
  const reference = useApp((s) => s.reference);
  const refresh = useApp((s) => s.refresh);
  const loadSync = useSync((s) => s.load);
  const [view, setView] = useState<View>('sok');
  const canRegister = REGISTERING_ROLES.has(user.role);

  useEffect(() => {
    void refresh();
    void loadSync();
  }, [refresh, loadSync]);

  // Alt+Y and Ctrl+K belong to the ŞÖK view; from another tab they show it first, before the
  // view's own handlers run (capture phase), so the shortcut still lands in its field.
  useEffect(() => {
    if (view === 'sok') return;
    const onKey = (e: KeyboardEvent) => {
      const search = e.ctrlKey && e.key.toLocaleLowerCase('tr') === 'k';
      const newSok = e.altKey && !e.ctrlKey && e.key.toLocaleLowerCase('tr') === 'y';
      if (search || newSok) flushSync(() => setView('sok'));
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [view]);

  return (
    <div className="app">
      <Header user={user} view={view} onView={setView} />
      {/* Kept mounted while hidden so a half-typed ŞÖK survives a look at another tab. */}
      <main className="workspace" hidden={view !== 'sok'}>
        {!reference ? (
          <section className="panel" />
        ) : canRegister ? (
          <SokForm reference={reference} />
        ) : (
          <section className="panel" aria-labelledby="sok-form-title">
            <h2 id="sok-form-title">{ui('form.title')}</h2>
            <Notice tone="info">{ui('admin.noSokForm')}</Notice>
          </section>
        )}
        <SokSearch reference={reference} />
      </main>
      {view === 'users' && user.role === 'admin' ? (
        <AdminUsers organisations={reference?.organisations ?? []} />
      ) : null}
      <RejectedPanel />
    </div>
  );
}
