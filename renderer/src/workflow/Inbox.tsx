import { useState } from 'react';
import type { ReferenceSnapshot } from '../../../src/domain/reference';
import { useDetail } from '../sok/detail-store';
import { FormError } from '../ui/fields';
import { formatCount, formatShort, ui, INBOX_TAB_KEY } from '../i18n';
import { orgShortName } from '../ui/org-options';
import { nameOf, statusName, topicLabel } from '../sok/sok-format';
import { call } from '../bridge';
import { legalText } from './countdown';
import { useLivePage } from './use-live-page';

type InboxState = 'new' | 'evaluating' | 'all';

/** ŞÖKs sent to the user's organisation and not yet decided: accept, return or decide them. */
export function Inbox({ reference }: { reference: ReferenceSnapshot }) {
  const [state, setState] = useState<InboxState>('new');
  const open = useDetail((s) => s.open);
  const { page, error } = useLivePage(() => call('sok.inbox', { state, limit: 500 }), state);
  return (
    <section className="panel queue" aria-labelledby="inbox-title" id="inbox">
      <div className="panel-head">
        <h2 id="inbox-title">{ui('inbox.title')}</h2>
        <div className="segmented" role="group" aria-label={ui('cb.state')}>
          {(['new', 'evaluating', 'all'] as const).map((s) => (
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
      {page && page.items.length > 0 ? (
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
