import { useEffect, useState, type ReactNode } from 'react';
import type { ReferenceSnapshot } from '../../../src/domain/reference';
import {
  QUEUE_COLUMNS,
  QUEUE_NAMES,
  type Download,
  type QueueItem,
  type QueueKind,
  type StaffMember,
} from '../../../src/domain/supervisor';
import { BridgeError, call } from '../bridge';
import { useDetail } from '../sok/detail-store';
import { FormError, Notice } from '../ui/fields';
import { formatCount, formatTime, ui } from '../i18n';
import { nameOf, phoneText, statusName, topicLabel } from '../sok/sok-format';
import type { SokStatus } from '../../../src/domain/sok';
import { AsOf, OfflineNotice } from './parts';
import { useLiveFigures } from './use-live-figures';

const COLUMNS = QUEUE_COLUMNS;

/** Queues per organisation; a count opens the ŞÖKs behind it. */
export function Queues({
  reference,
  onExport,
}: {
  reference: ReferenceSnapshot;
  onExport: (load: () => Promise<Download>) => Promise<void>;
}) {
  const live = useLiveFigures(() => call('supervisor.queues', {}), 'queues');
  const [drill, setDrill] = useState<{ queue: QueueKind; org: string; orgName: string } | null>(
    null,
  );
  const q = live.data;
  return (
    <section className="panel" aria-labelledby="sv-queues-title" id="sv-queues">
      <div className="panel-head">
        <h2 id="sv-queues-title">{ui('supervisor.queues')}</h2>
        {q ? <AsOf at={q.asOf} /> : null}
      </div>
      <p className="muted">{ui('supervisor.queuesHelp')}</p>
      {live.offline ? <OfflineNotice /> : null}
      <FormError message={live.error} />
      {q && q.rows.length === 0 ? <Notice tone="info">{ui('supervisor.none')}</Notice> : null}
      {q && q.rows.length > 0 ? (
        <table className="user-table sv-table" id="sv-queue-table">
          <thead>
            <tr>
              <th scope="col">{ui('supervisor.org')}</th>
              {COLUMNS.map((c) => (
                <th key={c.queue} scope="col" className="num">
                  {QUEUE_NAMES[c.queue]}
                </th>
              ))}
              <th scope="col" className="num">
                {ui('supervisor.total')}
              </th>
            </tr>
          </thead>
          <tbody>
            {q.rows.map((row) => (
              <tr key={row.org} data-org={row.org}>
                <th scope="row">{row.orgName}</th>
                {COLUMNS.map((c) => {
                  const count = row[c.field];
                  return (
                    <td
                      key={c.queue}
                      className={`num ${c.queue === 'overdue' && count > 0 ? 'sla-bad' : ''}`}
                      data-queue={c.queue}
                    >
                      {count === 0 ? (
                        '0'
                      ) : (
                        <button
                          type="button"
                          className="link"
                          aria-label={`${row.orgName}: ${QUEUE_NAMES[c.queue]} ${count}`}
                          onClick={() =>
                            setDrill({ queue: c.queue, org: row.org, orgName: row.orgName })
                          }
                        >
                          {formatCount(count)}
                        </button>
                      )}
                    </td>
                  );
                })}
                <td className="num" data-queue="total">
                  {formatCount(row.total)}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-org="total">
              <th scope="row">{ui('supervisor.total')}</th>
              {COLUMNS.map((c) => (
                <td key={c.queue} className="num" data-queue={c.queue}>
                  {formatCount(q.totals[c.field])}
                </td>
              ))}
              <td className="num" data-queue="total">
                {formatCount(q.totals.total)}
              </td>
            </tr>
          </tfoot>
        </table>
      ) : null}
      {drill ? (
        <DrillDown
          key={`${drill.queue}:${drill.org}`}
          {...drill}
          reference={reference}
          onClose={() => setDrill(null)}
          onExport={onExport}
        />
      ) : null}
    </section>
  );
}

function DrillDown({
  queue,
  org,
  orgName,
  reference,
  onClose,
  onExport,
}: {
  queue: QueueKind;
  org: string;
  orgName: string;
  reference: ReferenceSnapshot;
  onClose(): void;
  onExport: (load: () => Promise<Download>) => Promise<void>;
}) {
  const [limit, setLimit] = useState(100);
  const live = useLiveFigures(
    () => call('supervisor.queueItems', { queue, org, limit }),
    `${queue}:${org}:${limit}`,
  );
  const open = useDetail((s) => s.open);
  const callbacks = queue !== 'new' && queue !== 'accepted';
  const page = live.data;
  return (
    <div className="sv-drill" role="region" aria-labelledby="sv-drill-title" id="sv-drill">
      <div className="panel-head">
        <h3 id="sv-drill-title">
          {QUEUE_NAMES[queue]} — {orgName}
          {page ? ` (${formatCount(page.total)})` : ''}
        </h3>
        <div className="row">
          {(['csv', 'xlsx'] as const).map((format) => (
            <button
              key={format}
              type="button"
              className="secondary"
              onClick={() =>
                void onExport(() =>
                  call('supervisor.export', { report: 'queue-items', format, queue, org }),
                )
              }
            >
              {ui('supervisor.exportItems')} {format.toUpperCase()}
            </button>
          ))}
          <button type="button" className="secondary" onClick={onClose}>
            {ui('common.close')}
          </button>
        </div>
      </div>
      {live.offline ? <OfflineNotice /> : null}
      <FormError message={live.error} />
      {!callbacks ? <p className="muted">{ui('supervisor.reroute')}</p> : null}
      {page ? (
        <table className="user-table sv-table">
          <thead>
            <tr>
              <th scope="col">{ui('supervisor.regNo')}</th>
              <th scope="col">{ui('supervisor.status')}</th>
              <th scope="col">{ui('supervisor.topic')}</th>
              <th scope="col">{ui('supervisor.district')}</th>
              <th scope="col">{ui('supervisor.created')}</th>
              <th scope="col">{ui('supervisor.citizen')}</th>
              {callbacks ? <th scope="col">{ui('supervisor.due')}</th> : null}
              {callbacks ? <th scope="col">{ui('supervisor.claimed')}</th> : null}
              {callbacks ? <th scope="col">{ui('supervisor.attempts')}</th> : null}
              <th />
            </tr>
          </thead>
          <tbody>
            {page.items.map((item) => (
              <Item
                key={item.id}
                item={item}
                reference={reference}
                callbacks={callbacks}
                onOpen={() => open(item.id)}
                onChanged={live.reload}
              />
            ))}
          </tbody>
        </table>
      ) : null}
      {page && page.total > page.items.length ? (
        <button type="button" className="secondary" onClick={() => setLimit((l) => l + 100)}>
          {ui('supervisor.more')}
        </button>
      ) : null}
    </div>
  );
}

function Item({
  item,
  reference,
  callbacks,
  onOpen,
  onChanged,
}: {
  item: QueueItem;
  reference: ReferenceSnapshot;
  callbacks: boolean;
  onOpen(): void;
  onChanged(): void;
}) {
  const [form, setForm] = useState<'assign' | 'escalate' | null>(null);
  const toggle = (next: 'assign' | 'escalate') => setForm((f) => (f === next ? null : next));
  const done = () => {
    setForm(null);
    onChanged();
  };
  return (
    <>
      <tr data-sok={item.id}>
        <td className="reg-no">{item.regNo}</td>
        <td>{statusName(item.status as SokStatus)}</td>
        <td>{topicLabel(reference, item.topicCode)}</td>
        <td>{nameOf(reference.districts, item.districtCode)}</td>
        <td>{formatTime(item.createdAt)}</td>
        <td title={item.contactMasked ? ui('supervisor.masked') : undefined}>
          {item.citizenName} ·{' '}
          {item.contactMasked ? item.citizenPhone : phoneText(item.citizenPhone)}
        </td>
        {callbacks ? <td>{item.callbackDueAt ? formatTime(item.callbackDueAt) : ''}</td> : null}
        {callbacks ? <td>{item.claimedByName ?? '—'}</td> : null}
        {callbacks ? <td className="num">{item.attempts}</td> : null}
        <td className="row">
          <button type="button" className="secondary" onClick={onOpen}>
            {ui('supervisor.open')}
          </button>
          {callbacks && item.callbackState === 'open' ? (
            <>
              <button type="button" className="secondary" onClick={() => toggle('assign')}>
                {ui('supervisor.assign')}
              </button>
              {item.escalation < 2 ? (
                <button type="button" className="secondary" onClick={() => toggle('escalate')}>
                  {ui('supervisor.escalate')}
                </button>
              ) : null}
            </>
          ) : null}
        </td>
      </tr>
      {form !== null && item.callbackOwnerOrg ? (
        <tr>
          <td colSpan={10}>
            {form === 'assign' ? (
              <AssignForm sokId={item.id} org={item.callbackOwnerOrg} onDone={done} />
            ) : (
              <EscalateForm sokId={item.id} onDone={done} />
            )}
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** A queue item's action: its pending and error state; the error text defaults to the message. */
function useSubmit(
  action: () => Promise<unknown>,
  onDone: () => void,
  describe: (e: unknown) => string = (e) => (e as Error).message,
) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await action();
      onDone();
    } catch (e) {
      setError(describe(e));
    } finally {
      setBusy(false);
    }
  };
  return { error, setError, busy, submit };
}

/** The form under a queue item: its field, the submit button (while `ready`) and the error. */
function ItemForm({
  form,
  ready,
  label,
  children,
}: {
  form: ReturnType<typeof useSubmit>;
  ready: boolean;
  label: string;
  children: ReactNode;
}) {
  return (
    <form
      className="row sv-assign"
      onSubmit={(e) => {
        e.preventDefault();
        void form.submit();
      }}
    >
      {children}
      <button type="submit" disabled={!ready || form.busy}>
        {label}
      </button>
      <FormError message={form.error} />
    </form>
  );
}

function AssignForm({ sokId, org, onDone }: { sokId: string; org: string; onDone(): void }) {
  const [staff, setStaff] = useState<StaffMember[] | null>(null);
  const [userId, setUserId] = useState('');
  const form = useSubmit(() => call('supervisor.assign', { sokId, userId }), onDone);
  const { setError } = form;
  useEffect(() => {
    call('supervisor.staff', { org }).then(setStaff, (e: unknown) =>
      setError((e as Error).message),
    );
  }, [org, setError]);
  return (
    <ItemForm form={form} ready={userId !== ''} label={ui('supervisor.assign')}>
      <div className="field">
        <label htmlFor={`sv-assign-${sokId}`}>{ui('supervisor.assignTo')}</label>
        <select
          id={`sv-assign-${sokId}`}
          value={userId}
          onChange={(e) => setUserId(e.target.value)}
        >
          <option value="">{ui('supervisor.assignPick')}</option>
          {(staff ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.displayName}
            </option>
          ))}
        </select>
      </div>
    </ItemForm>
  );
}

function EscalateForm({ sokId, onDone }: { sokId: string; onDone(): void }) {
  const [reason, setReason] = useState('');
  const form = useSubmit(
    () => call('supervisor.escalate', { sokId, reason }),
    onDone,
    (e) => {
      const fields = e instanceof BridgeError ? e.data.fields : undefined;
      return fields ? Object.values(fields).join(' ') : (e as Error).message;
    },
  );
  return (
    <ItemForm form={form} ready={reason.trim().length > 0} label={ui('supervisor.escalateSend')}>
      <div className="field">
        <label htmlFor={`sv-escalate-${sokId}`}>{ui('supervisor.escalateReason')}</label>
        <input
          id={`sv-escalate-${sokId}`}
          value={reason}
          maxLength={1000}
          onChange={(e) => setReason(e.target.value)}
        />
      </div>
    </ItemForm>
  );
}
