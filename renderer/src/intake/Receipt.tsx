import { useEffect, useState } from 'react';
import type { ReferenceSnapshot } from '../../../src/domain/reference';
import type { Sok } from '../../../src/domain/sok';
import { bridge, BridgeError, call } from '../bridge';
import { formatDateLong, formatTime, ui, RECEIPT_CONTACT_KEY } from '../i18n';
import { orgName } from '../ui/org-options';
import { phoneText, topicLabel, topicName } from '../sok/sok-format';
import { useSync } from '../sync/sync-store';

/**
 * Follows a just-saved ŞÖK until the server has it and it has its number: on its own change
 * events and whenever the outbox moves. Returns the latest copy and whether the server refused it
 * (then it was rolled back here, and the receipt says so instead of going stale).
 */
export function useFollowedSok(initial: Sok): { sok: Sok; rejected: boolean } {
  const [sok, setSok] = useState<Sok>(initial);
  const [rejected, setRejected] = useState(false);
  const pendingId = sok.syncState === 'pending' || sok.regNo === null ? sok.id : null;
  const queueLength = useSync((s) => s.status?.pending);

  useEffect(() => {
    if (pendingId === null) return;
    let live = true;
    const reload = () =>
      call('sok.get', { id: pendingId }).then(
        (next) => {
          if (!live) return;
          setSok(next);
          setRejected(false);
        },
        (error: unknown) => {
          if (live && error instanceof BridgeError && error.data.code === 'not-found') {
            setRejected(true);
          }
        },
      );
    const off = bridge?.on('sok.changed', ({ id }) => {
      if (id === pendingId || id === '*') void reload();
    });
    void reload();
    return () => {
      live = false;
      off?.();
    };
  }, [pendingId, queueLength]);

  return { sok, rejected };
}

/** What the agent reads to the citizen (circular 2004/12: date, number, subject). */
export function receiptScript(sok: Sok, reference: ReferenceSnapshot): string | null {
  if (sok.regNo === null) return null;
  const org = sok.targetOrg
    ? orgName(reference.organisations, sok.targetOrg)
    : ui('receipt.scriptOrgFallback');
  const script = ui('receipt.scriptText', {
    date: formatDateLong(sok.createdAt),
    regNo: sok.regNo,
    topic: topicName(reference, sok.topicCode),
    org,
    contact: ui(RECEIPT_CONTACT_KEY[sok.preferredContact]),
  });
  // Outside bodies (UEDAŞ, Bursagaz …) and BUSKİ have their own lines: tell the citizen.
  const target = reference.organisations.find((o) => o.code === sok.targetOrg);
  return target?.publicPhone && target.kind !== 'call-centre'
    ? `${script} ${ui('receipt.publicPhone', { org: target.shortName, phone: target.publicPhone })}`
    : script;
}

/** The receipt for a saved ŞÖK; render it keyed by the ŞÖK's id so each starts afresh. */
export function Receipt({ sok, reference }: { sok: Sok; reference: ReferenceSnapshot }) {
  const { sok: current, rejected } = useFollowedSok(sok);
  const openRejected = useSync((s) => s.openRejected);
  const script = receiptScript(current, reference);
  return (
    <div className={rejected ? 'receipt rejected' : 'receipt'} role="status" aria-live="polite">
      <strong>{ui('form.saved')}</strong>
      {rejected ? (
        <p className="receipt-rejected" role="alert">
          {ui('form.rejected')}{' '}
          <button type="button" className="secondary small" onClick={() => openRejected(true)}>
            {ui('toast.showRejected')}
          </button>
        </p>
      ) : null}
      <div className="receipt-number">
        <span className="receipt-label">{ui('form.regNo')}</span>
        {current.regNo ? (
          <span className="reg-no big" id="receipt-regNo">
            {current.regNo}
          </span>
        ) : (
          <span className="receipt-wait">{ui('form.regNoPending')}</span>
        )}
        {current.regNo && current.syncState === 'pending' && !rejected ? (
          <span className="receipt-note">{ui('form.pendingNote')}</span>
        ) : null}
      </div>
      <dl>
        <dt>{ui('form.date')}</dt>
        <dd>{formatTime(current.createdAt)}</dd>
        <dt>{ui('form.topic')}</dt>
        <dd>{topicLabel(reference, current.topicCode)}</dd>
        <dt>{ui('receipt.target')}</dt>
        <dd id="receipt-target">
          {current.targetOrg
            ? orgName(reference.organisations, current.targetOrg)
            : ui('receipt.notRouted')}
        </dd>
        <dt>{ui('form.citizenPhone')}</dt>
        <dd>{phoneText(current.citizenPhone)}</dd>
      </dl>
      {script && !rejected ? (
        <div className="script">
          <span className="receipt-label">{ui('receipt.script')}</span>
          <p id="receipt-script">{script}</p>
        </div>
      ) : null}
    </div>
  );
}

/** After "Bu çağrıyı mevcut ŞÖK'e ekle": the number to read out is the existing ŞÖK's. */
export function ContactAdded({ sok, reference }: { sok: Sok; reference: ReferenceSnapshot }) {
  const org = sok.targetOrg
    ? orgName(reference.organisations, sok.targetOrg)
    : ui('receipt.scriptOrgFallback');
  const regNo = sok.regNo ?? ui('detail.noRegNo');
  return (
    <div className="receipt" id="contact-added" role="status" aria-live="polite">
      <strong>{ui('caller.added', { regNo })}</strong>
      <div className="receipt-number">
        <span className="receipt-label">{ui('form.regNo')}</span>
        <span className="reg-no big" id="contact-added-regNo">
          {regNo}
        </span>
      </div>
      <div className="script">
        <span className="receipt-label">{ui('receipt.script')}</span>
        <p id="contact-added-script">
          {ui('caller.addedScript', {
            regNo,
            topic: topicName(reference, sok.topicCode),
            org,
          })}
        </p>
      </div>
    </div>
  );
}
