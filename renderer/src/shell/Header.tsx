import { useLayoutEffect, useRef } from 'react';
import { ROLE_NAMES, type SessionUser } from '../../../src/domain/session';
import { ui } from '../i18n';
import { orgShortName } from '../ui/org-options';
import { PhoneStatus } from '../phone/PhoneStatus';
import { LineWaiting } from './LineWaiting';
import { useReference } from '../reference-store';
import { SyncIndicator } from '../sync/SyncIndicator';
import { UserMenu } from './UserMenu';

export type View =
  | 'sok'
  | 'list'
  | 'inbox'
  | 'mailbox'
  | 'callbacks'
  | 'supervisor'
  | 'users'
  | 'workflowAdmin'
  | 'routingAdmin'
  | 'kvkk';

interface Props {
  user: SessionUser;
  view: View;
  onView(view: View): void;
}

export function Header({ user, view, onView }: Props) {
  const organisations = useReference((s) => s.reference?.organisations);
  const header = useRef<HTMLElement>(null);
  // The phone dock starts below the header, however many lines the header takes.
  useLayoutEffect(() => {
    const el = header.current;
    if (!el) return;
    const publish = () =>
      document.documentElement.style.setProperty('--header-height', `${el.offsetHeight}px`);
    publish();
    const observer = new ResizeObserver(publish);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const tabs: { view: View; label: string }[] = [
    { view: 'sok', label: ui('nav.sok') },
    { view: 'list', label: ui('nav.list') },
    ...(user.role !== 'admin'
      ? [
          { view: 'inbox' as const, label: ui('nav.inbox') },
          // The E-posta queue: whoever registers ŞÖKs from calls registers them from mail.
          { view: 'mailbox' as const, label: ui('nav.mailbox') },
          { view: 'callbacks' as const, label: ui('nav.callbacks') },
        ]
      : []),
    ...(user.role === 'supervisor'
      ? [{ view: 'supervisor' as const, label: ui('nav.supervisor') }]
      : []),
    ...(user.role === 'admin'
      ? [
          { view: 'users' as const, label: ui('nav.users') },
          // The calendar and mailboxes are the city's: the call centre's admins only.
          ...(user.orgKind === 'call-centre'
            ? [{ view: 'workflowAdmin' as const, label: ui('nav.workflowAdmin') }]
            : []),
        ]
      : []),
    // Routing rules: BİKOM's (system) administrators only; the API enforces the same.
    ...(user.role === 'admin' && user.orgKind === 'call-centre'
      ? [
          { view: 'routingAdmin' as const, label: ui('nav.routingAdmin') },
          { view: 'kvkk' as const, label: ui('nav.kvkk') },
        ]
      : []),
  ];
  return (
    <header className="app-header" ref={header}>
      <div className="header-top">
        <h1>{ui('app.title')}</h1>
        <span className="subtitle">{ui('app.subtitle')}</span>
        {/* The phone's state sits up here so a long SIP error never wraps the tab row. */}
        <PhoneStatus />
        <LineWaiting role={user.role} />
        <div className="account" aria-label={ui('header.account')} role="group">
          <span className="account-who">
            <span id="current-user">{user.displayName}</span>
            <span className="account-meta">
              {ROLE_NAMES[user.role]} · {orgShortName(organisations, user.orgCode)}
            </span>
          </span>
          <UserMenu />
        </div>
      </div>
      <div className="header-bar">
        <nav className="tabs" aria-label={ui('nav.label')}>
          {tabs.map((tab) => (
            <button
              key={tab.view}
              type="button"
              className={tab.view === view ? 'tab current' : 'tab'}
              aria-current={tab.view === view ? 'page' : undefined}
              onClick={() => onView(tab.view)}
            >
              {tab.label}
            </button>
          ))}
        </nav>
        <SyncIndicator role={user.role} />
      </div>
    </header>
  );
}
