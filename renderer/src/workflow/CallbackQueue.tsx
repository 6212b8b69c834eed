import { useMemo, useState } from 'react';
import { activeClaim, ATTEMPT_OUTCOMES, DECISION_NAMES } from '../../../src/domain/workflow';
import type { CallbackQuery } from '../../../src/domain/queues';
import type { ReferenceSnapshot } from '../../../src/domain/reference';
import type { SessionUser } from '../../../src/domain/session';
import { useAuth } from '../auth/auth-store';
import { call } from '../bridge';
import { useDetail } from '../sok/detail-store';
import { FormError } from '../ui/fields';
import { CallButton } from '../phone/CallButton';
import { formatCount, ui, CALLBACK_STATE_KEY, CALLBACK_OWNER_KEY } from '../i18n';
import { orgShortName } from '../ui/org-options';
import { nameOf, phoneText, topicLabel } from '../sok/sok-format';
import { dueText, isOverdue } from './countdown';
import { useWorkflowSettings } from './settings-store';
import { useLivePage } from './use-live-page';

type StateFilter = CallbackQuery['state'];
type OwnerFilter = CallbackQuery['owner'];

/**
 * The organisation's callback queue, soonest due first: overdue ones stand out, the decision and
 * the citizen's number are on the row (masked where KVKK says so), and the detail has the script,
 * the timeline and the attempt form. BİKOM supervisors may look at any organisation's queue.
 */
export function CallbackQueue({ reference }: { reference: ReferenceSnapshot }) {
  const user = useAuth((s) => s.user) as SessionUser;
  const calendar = useWorkflowSettings((s) => s.calendar);
  const maxAttempts = useWorkflowSettings((s) => s.settings?.policy.maxAttempts ?? 3);
  const open = useDetail((s) => s.open);
  const [state, setState] = useState<StateFilter>('open');
  const [owner, setOwner] = useState<OwnerFilter>('any');
  const [ownerOrg, setOwnerOrg] = useState('');
  const [districtCode, setDistrictCode] = useState('');
  const [topicCode, setTopicCode] = useState('');
  const query = useMemo(
    () => ({
      state,
      owner,
      limit: 500,
      ...(ownerOrg ? { ownerOrg } : {}),
      ...(districtCode ? { districtCode } : {}),
      ...(topicCode ? { topicCode } : {}),
    }),
    [state, owner, ownerOrg, districtCode, topicCode],
  );
  const { page, error } = useLivePage(() => call('callback.list', query), JSON.stringify(query));
  const bikomSupervisor = user.orgKind === 'call-centre' && user.role === 'supervisor';
  const topGroups = reference.topics.filter((t) => t.parentCode === null);
  const now = new Date();

  const select = (
    id: string,
    label: string,
    value: string,
    set: (v: string) => void,
    options: { code: string; name: string }[],
  ) => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => set(e.target.value)}>
        {options.map((o) => (
          <option key={o.code} value={o.code}>
            {o.name}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <section className="panel queue" aria-labelledby="cb-title" id="callback-queue">
      <div className="panel-head">
        <h2 id="cb-title">{ui('cb.title')}</h2>
        {page ? <span className="muted">{formatCount(page.total)}</span> : null}
      </div>
      <div className="row filters">
        {select(
          'cb-state',
          ui('cb.state'),
          state,
          (v) => setState(v as StateFilter),
          (['open', 'overdue', 'escalated', 'done', 'unreachable'] as const).map((s) => ({
            code: s,
            name: ui(CALLBACK_STATE_KEY[s]),
          })),
        )}
        {select(
          'cb-owner',
          ui('cb.owner'),
          owner,
          (v) => setOwner(v as OwnerFilter),
          (['any', 'mine', 'unclaimed'] as const).map((s) => ({
            code: s,
            name: ui(CALLBACK_OWNER_KEY[s]),
          })),
        )}
        {bikomSupervisor
          ? select('cb-org', ui('cb.ownerOrg'), ownerOrg, setOwnerOrg, [
              { code: '', name: ui('list.any') },
              ...reference.organisations.map((o) => ({ code: o.code, name: o.shortName })),
            ])
          : null}
        {select('cb-district', ui('list.district'), districtCode, setDistrictCode, [
          { code: '', name: ui('list.any') },
          ...reference.districts,
        ])}
        {select('cb-topic', ui('list.topic'), topicCode, setTopicCode, [
          { code: '', name: ui('list.any') },
          ...topGroups,
        ])}
      </div>
      <FormError message={error} />
      {page && page.items.length === 0 ? <p className="muted">{ui('cb.empty')}</p> : null}
      {page && page.items.length > 0 ? (
        <table className="queue-table">
          <thead>
            <tr>
              <th>{ui('wf.due', { date: '' }).replace(':', '').trim()}</th>
              <th>{ui('list.col.regNo')}</th>
              <th>{ui('list.col.topic')}</th>
              <th>{ui('list.col.place')}</th>
              <th>{ui('cb.citizen')}</th>
              <th>{ui('wf.decision')}</th>
              <th>{ui('wf.callback')}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((sok) => {
              const cb = sok.callback;
              if (!cb) return null;
              const late = cb.state === 'open' && isOverdue(cb.dueAt, now);
              const holder = activeClaim(cb, now);
              return (
                <tr key={sok.id} data-sok-id={sok.id} className={late ? 'overdue' : undefined}>
                  <td>{cb.state === 'open' ? dueText(calendar, cb.dueAt, now) : '—'}</td>
                  <td>
                    <button type="button" className="link reg-no" onClick={() => open(sok.id)}>
                      {sok.regNo}
                    </button>
                  </td>
                  <td>{topicLabel(reference, sok.topicCode)}</td>
                  <td>
                    {nameOf(reference.districts, sok.districtCode)}
                    {sok.mahalle ? ` · ${sok.mahalle}` : ''}
                  </td>
                  <td>
                    {sok.citizenName}
                    <br />
                    <span className="mono">
                      {sok.contactMasked ? sok.citizenPhone : phoneText(sok.citizenPhone)}
                    </span>{' '}
                    {!sok.contactMasked && cb.state === 'open' ? (
                      <CallButton phone={sok.citizenPhone} />
                    ) : null}
                  </td>
                  <td>
                    {sok.decision ? DECISION_NAMES[sok.decision.kind] : '—'}
                    {bikomSupervisor ? (
                      <div className="muted">
                        {orgShortName(reference.organisations, cb.ownerOrg)}
                      </div>
                    ) : null}
                  </td>
                  <td>
                    {ui('wf.attempts', { n: cb.attempts, max: maxAttempts })}
                    {cb.lastOutcome ? ` · ${ATTEMPT_OUTCOMES[cb.lastOutcome]}` : ''}
                    <div className="muted">
                      {cb.state !== 'open'
                        ? ui(cb.state === 'done' ? 'wf.stateDone' : 'wf.stateUnreachable')
                        : holder === null
                          ? ui('wf.pool')
                          : holder === user.id
                            ? ui('wf.claimedByMe')
                            : ui('wf.claimedBy', { name: cb.claimedByName ?? '' })}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
