import { useState } from 'react';
import type { InboxQuery } from '../../../src/domain/queues';
import type { ReferenceSnapshot } from '../../../src/domain/reference';
import type { SessionUser } from '../../../src/domain/session';
import type { ExternalWait, SokListPage } from '../../../src/domain/sok';
import { useAuth } from '../auth/auth-store';
import { useDetail } from '../sok/detail-store';
import { FormError } from '../ui/fields';
import { formatCount, formatShort, ui, INBOX_TAB_KEY } from '../i18n';
import { orgShortName } from '../ui/org-options';
import { nameOf, statusName, topicLabel } from '../sok/sok-format';
import { call } from '../bridge';
import { legalText } from './countdown';
import { useWorkflowSettings } from './settings-store';
import { useLivePage } from './use-live-page';

type InboxState = InboxQuery['state'];

/**
 * ŞÖKs sent to the user's organisation and not yet decided: accept, return or decide them. The
 * call centre also follows those waiting for an organisation outside the app ("Dış kurumda").
 */
export function Inbox({ reference }: { reference: ReferenceSnapshot }) {
  const user = useAuth((s) => s.user) as SessionUser;
  const callCentreOrg = useWorkflowSettings((s) => s.settings?.callCentreOrg ?? null);
  const isCallCentre =
    callCentreOrg === null ? user.orgKind === 'call-centre' : user.orgCode === callCentreOrg;
  const tabs: InboxState[] = isCallCentre
    ? ['new', 'evaluating', 'all', 'external']
    : ['new', 'evaluating', 'all'];
  const [state, setState] = useState<InboxState>('new');
  const open = useDetail((s) => s.open);
  const { page, error } = useLivePage(() => call('sok.inbox', { state, limit: 500 }), state);
  return (
    <section className="panel queue" aria-labelledby="inbox-title" id="inbox">
      <div className="panel-head">
        <h2 id="inbox-title">{ui('inbox.title')}</h2>
        <div className="segmented" role="group" aria-label={ui('cb.state')}>
          {tabs.map((s) => (
            <button
              key={s}
              type="button"
              className={s === state ? 'tab current' : 'tab'}
              aria-pressed={s === state}
              onClick={() => setState(s)}
            >
              {ui(INBOX_TAB_KEY[s])}
            </button>
          ))}
        </div>
        {page ? <span className="muted">{formatCount(page.total)}</span> : null}
      </div>
      <FormError message={error} />
      {page && page.items.length === 0 ? <p className="muted">{ui('inbox.empty')}</p> : null}
      {page && page.items.length > 0 && state === 'external' ? (
        <ExternalTable page={page} reference={reference} onOpen={open} />
      ) : null}
      {page && page.items.length > 0 && state !== 'external' ? (
        <table className="queue-table">
          <thead>
            <tr>
              <th>{ui('list.col.regNo')}</th>
              <th>{ui('inbox.received')}</th>
              <th>{ui('form.topic')}</th>
              <th>{ui('form.district')}</th>
              <th>{ui('detail.originOrg')}</th>
              <th>{ui('detail.status')}</th>
              <th>{ui('wf.legal')}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((sok) => {
              const legal = legalText(sok.createdAt);
              return (
                <tr key={sok.id} data-sok-id={sok.id}>
                  <td>
                    <button type="button" className="link reg-no" onClick={() => open(sok.id)}>
                      {sok.regNo}
                    </button>
                  </td>
                  <td>{formatShort(sok.createdAt)}</td>
                  <td>{topicLabel(reference, sok.topicCode)}</td>
                  <td>
                    {nameOf(reference.districts, sok.districtCode)}
                    {sok.mahalle ? ` · ${sok.mahalle}` : ''}
                  </td>
                  <td>{orgShortName(reference.organisations, sok.originOrg)}</td>
                  <td>{statusName(sok.status)}</td>
                  <td className={legal.late ? 'late' : undefined}>{legal.text}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

/** Where a ŞÖK waiting for an organisation outside the app stands. */
function waitText(wait: ExternalWait | undefined): { text: string; overdue: boolean } {
  if (wait?.answeredAt) {
    return { text: ui('inbox.ext.answered', { at: formatShort(wait.answeredAt) }), overdue: false };
  }
  if (wait?.overdueAt) {
    return { text: ui('inbox.ext.overdue', { at: formatShort(wait.overdueAt) }), overdue: true };
  }
  return { text: ui('inbox.ext.waiting'), overdue: false };
}

/** The call centre's "Dış kurumda" list: overdue first (the store's order). */
function ExternalTable({
  page,
  reference,
  onOpen,
}: {
  page: SokListPage;
  reference: ReferenceSnapshot;
  onOpen: (id: string) => void;
}) {
  return (
    <table className="queue-table" id="inbox-external">
      <thead>
        <tr>
          <th>{ui('list.col.regNo')}</th>
          <th>{ui('inbox.ext.org')}</th>
          <th>{ui('inbox.ext.sent')}</th>
          <th>{ui('inbox.ext.reply')}</th>
          <th>{ui('form.topic')}</th>
          <th>{ui('form.district')}</th>
          <th>{ui('wf.legal')}</th>
        </tr>
      </thead>
      <tbody>
        {page.items.map((sok) => {
          const wait = page.external?.[sok.id];
          const reply = waitText(wait);
          const legal = legalText(sok.createdAt);
          return (
            <tr
              key={sok.id}
              data-sok-id={sok.id}
              data-overdue={reply.overdue ? 'true' : 'false'}
              className={reply.overdue ? 'overdue' : undefined}
            >
              <td>
                <button type="button" className="link reg-no" onClick={() => onOpen(sok.id)}>
                  {sok.regNo}
                </button>
              </td>
              <td>{sok.targetOrg ? orgShortName(reference.organisations, sok.targetOrg) : ''}</td>
              <td>{wait ? formatShort(wait.sentAt) : ''}</td>
              <td className={reply.overdue ? 'late' : undefined}>{reply.text}</td>
              <td>{topicLabel(reference, sok.topicCode)}</td>
              <td>
                {nameOf(reference.districts, sok.districtCode)}
                {sok.mahalle ? ` · ${sok.mahalle}` : ''}
              </td>
              <td className={legal.late ? 'late' : undefined}>{legal.text}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
