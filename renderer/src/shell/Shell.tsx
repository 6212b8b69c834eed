import { useEffect, useState } from 'react';
import { flushSync } from 'react-dom';
import { REGISTERING_ROLES, type SessionUser } from '../../../src/domain/session';
import { AdminUsers } from '../admin/AdminUsers';
import { RoutingRules } from '../admin/RoutingRules';
import { useDetail } from '../sok/detail-store';
import { Notice } from '../ui/fields';
import { KvkkScreen } from '../kvkk/KvkkScreen';
import { MailboxQueue } from '../mailbox/MailboxQueue';
import { PhoneDock } from '../phone/PhoneDock';
import { usePhoneSession } from '../phone/session';
import { Header, type View } from './Header';
import { ui } from '../i18n';
import { RejectedPanel } from '../sync/RejectedPanel';
import { SokForm } from '../intake/SokForm';
import { SokDetailHost } from '../sok/SokDetail';
import { SokList } from '../sok/SokList';
import { SokSearch } from '../search/SokSearch';
import { useReference } from '../reference-store';
import { useSearch } from '../search/search-store';
import { SupervisorConsole } from '../supervisor/SupervisorConsole';
import { useSync } from '../sync/sync-store';
import { AdminWorkflow } from '../workflow/AdminWorkflow';
import { CallbackQueue } from '../workflow/CallbackQueue';
import { Inbox } from '../workflow/Inbox';
import { MissedCalls } from '../workflow/MissedCalls';
import { useWorkflowSettings } from '../workflow/settings-store';
import { useDueNotifications } from '../workflow/use-due-notifications';
import { useShellState } from './use-shell-state';
import { useWindowTitle } from './use-window-title';

/** The signed-in app: header, the ŞÖK workspace and, for admins, user administration. */
export function Shell({ user }: { user: SessionUser }) {
  const reference = useReference((s) => s.reference);
  const refresh = useSearch((s) => s.refresh);
  const loadSync = useSync((s) => s.load);
  const loadWorkflow = useWorkflowSettings((s) => s.load);
  const [view, setView] = useState<View>('sok');
  // The list stays mounted once opened, so its filters and place survive a look at a call.
  const [listOpened, setListOpened] = useState(false);
  const canRegister = REGISTERING_ROLES.has(user.role);
  // A configured phone (or a call on screen) gets its own column at the right edge.
  const docked = usePhoneSession(
    (s) => s.view?.settings != null || s.pops.length > 0 || s.wrapUps.length > 0,
  );
  // The call centre's admins administer the system; other admins their organisation's users.
  const systemAdmin = user.role === 'admin' && user.orgKind === 'call-centre';
  const show = (next: View) => {
    if (next === 'list') setListOpened(true);
    setView(next);
  };

  useEffect(() => {
    void refresh();
    void loadSync();
    void loadWorkflow().catch(() => undefined);
  }, [refresh, loadSync, loadWorkflow]);
  useDueNotifications(user.role !== 'admin', user.role === 'supervisor');
  useShellState();
  useWindowTitle(user);

  // Alt+Y and Ctrl+K belong to the ŞÖK view; from another tab or an open ŞÖK they show it
  // first, before the view's own handlers run (capture phase), so the shortcut still lands in
  // its field.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const search = e.ctrlKey && e.key.toLocaleLowerCase('tr') === 'k';
      const newSok =
        e.altKey && !e.ctrlKey && (e.code === 'KeyY' || e.key.toLocaleLowerCase('tr') === 'y');
      if (!search && !newSok) return;
      flushSync(() => {
        useDetail.getState().close();
        setView('sok');
      });
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  return (
    <div className={['app', view === 'list' ? 'fill' : '', docked ? 'docked' : ''].join(' ')}>
      <Header user={user} view={view} onView={show} />
      {/* Kept mounted while hidden so a half-typed ŞÖK survives a look at another tab. */}
      <main className="workspace" hidden={view !== 'sok'}>
        {!reference ? (
          <section className="panel" />
        ) : canRegister ? (
          <SokForm reference={reference} aside={<SokSearch reference={reference} />} />
        ) : (
          <>
            <section className="panel" aria-labelledby="sok-form-title">
              <h2 id="sok-form-title">{ui('form.title')}</h2>
              <Notice tone="info">{ui('admin.noSokForm')}</Notice>
            </section>
            <SokSearch reference={reference} />
          </>
        )}
      </main>
      {reference && listOpened ? (
        <div className="list-host" hidden={view !== 'list'}>
          <SokList reference={reference} />
        </div>
      ) : null}
      {reference && view === 'inbox' ? <Inbox reference={reference} /> : null}
      {view === 'mailbox' && user.role !== 'admin' ? (
        <MailboxQueue onRegister={() => show('sok')} />
      ) : null}
      {reference && view === 'callbacks' ? (
        <>
          <MissedCalls />
          <CallbackQueue reference={reference} />
        </>
      ) : null}
      {reference && view === 'supervisor' && user.role === 'supervisor' ? (
        <SupervisorConsole reference={reference} />
      ) : null}
      {view === 'users' && user.role === 'admin' ? (
        <AdminUsers
          organisations={(reference?.organisations ?? []).filter(
            // An organisation's admin manages its own users only (SECURITY.md).
            (o) => systemAdmin || o.code === user.orgCode,
          )}
        />
      ) : null}
      {view === 'workflowAdmin' && systemAdmin ? <AdminWorkflow /> : null}
      {reference && view === 'routingAdmin' && systemAdmin ? (
        <RoutingRules reference={reference} />
      ) : null}
      {/* KVKK: BİKOM's (system) administrators, the data-protection contact; the API enforces it. */}
      {view === 'kvkk' && systemAdmin ? <KvkkScreen /> : null}
      <SokDetailHost reference={reference} />
      <RejectedPanel />
      <PhoneDock />
    </div>
  );
}
