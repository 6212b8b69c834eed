import { useEffect, useState } from 'react';
import { CallButton } from '../phone/CallButton';
import type { ReferenceSnapshot } from '../../../src/domain/reference';
import type { SessionUser } from '../../../src/domain/session';
import type { Sok } from '../../../src/domain/sok';
import { refuse, refusalText, whyNot, type Refusal } from '../../../src/domain/workflow';
import type { ReceiptWire, SokEvent } from '../../../src/domain/sync';
import { useAuth } from '../auth/auth-store';
import { bridge, BridgeError, call } from '../bridge';
import { useDetail } from './detail-store';
import { Dialog } from '../ui/Dialog';
import { FormError, Notice } from '../ui/fields';
import { formatTime, ui, type UiKey } from '../i18n';
import { orgName, orgShortName } from '../ui/org-options';
import {
  contactName,
  eventKindName,
  nameOf,
  pendingKindName,
  phoneText,
  statusName,
  topicLabel,
} from './sok-format';
import { useSync } from '../sync/sync-store';
import { WorkflowPanel } from '../workflow/WorkflowPanel';
import { SokAttachments } from '../mailbox/SokAttachments';
import { RouteForm } from './RouteForm';
import { RevealButton, withRevealed } from '../kvkk/Reveal';
import type { RevealedContact } from '../../../src/domain/bridge/contract';

interface Loaded {
  sok: Sok | null;
  events: SokEvent[];
  receipts: ReceiptWire[];
  pending: { kind: string; at: string }[];
  error: string | null;
  /** The ŞÖK is no longer in this PC's store (e.g. routed away from this organisation). */
  gone: boolean;
}

/** The detail dialog of whichever ŞÖK is open (see detail-store). */
export function SokDetailHost({ reference }: { reference: ReferenceSnapshot | null }) {
  const openId = useDetail((s) => s.openId);
  const close = useDetail((s) => s.close);
  if (!openId || !reference) return null;
  return <SokDetail key={openId} id={openId} reference={reference} onClose={close} />;
}

/**
 * Re-routing is offered exactly when the workflow's guard allows it (src/domain/workflow): null,
 * or the guard's refusal, whose text the screen shows.
 */
function routeRefusal(user: SessionUser | null, sok: Sok): Refusal | null {
  if (!user) return refuse('forbidden', 'workflow.routeNotAllowed');
  const actor = { userId: user.id, orgCode: user.orgCode, orgKind: user.orgKind, role: user.role };
  // The route guard does not depend on BİKOM's code (only a return does).
  return whyNot(sok, actor, 'route', { now: new Date(), callCentreOrg: '' });
}

function SokDetail({
  id,
  reference,
  onClose,
}: {
  id: string;
  reference: ReferenceSnapshot;
  onClose(): void;
}) {
  const user = useAuth((s) => s.user);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [changes, setChanges] = useState(0);
  const [routing, setRouting] = useState(false);
  // Pending local changes leave the timeline's "bekliyor" list as the outbox drains.
  const queueLength = useSync((s) => s.status?.pending);
  // KVKK "Göster": kept while the dialog is open, across its reloads.
  const [revealed, setRevealed] = useState<RevealedContact | null>(null);

  useEffect(
    () =>
      bridge?.on('sok.changed', ({ id: changed }) => {
        if (changed === id || changed === '*') setChanges((n) => n + 1);
      }),
    [id],
  );

  useEffect(() => {
    let live = true;
    Promise.all([call('sok.get', { id }), call('sok.timeline', { id })]).then(
      ([sok, timeline]) => {
        if (live) setLoaded({ sok, ...timeline, error: null, gone: false });
      },
      (error: unknown) => {
        if (!live) return;
        const gone = error instanceof BridgeError && error.data.code === 'not-found';
        setLoaded((prev) => ({
          sok: gone ? null : (prev?.sok ?? null),
          events: prev?.events ?? [],
          receipts: prev?.receipts ?? [],
          pending: prev?.pending ?? [],
          error: gone ? null : (error as Error).message,
          gone,
        }));
      },
    );
    return () => {
      live = false;
    };
  }, [id, changes, queueLength]);

  const sok = withRevealed(loaded?.sok ?? null, revealed);
  const notRoutable = sok ? routeRefusal(user, sok) : null;
  const title = sok
    ? ui('detail.title', { regNo: sok.regNo ?? ui('detail.noRegNo') })
    : ui('detail.loadingTitle');
  const org = (code: string | null) =>
    code === null ? '—' : orgName(reference.organisations, code);
  const orgShort = (code: string | null) =>
    code === null ? '—' : orgShortName(reference.organisations, code);

  return (
    <Dialog
      id="sok-detail"
      title={title}
      onClose={onClose}
      wide="extra"
      headExtra={
        sok ? (
          <span className="detail-tags">
            <span className={`tag status-${sok.status}`}>{statusName(sok.status)}</span>
            {sok.syncState === 'pending' ? (
              <span className="tag pending">{ui('detail.pendingSync')}</span>
            ) : null}
          </span>
        ) : null
      }
    >
      {!loaded ? <p className="muted">{ui('detail.loading')}</p> : null}
      {loaded?.gone ? <p role="alert">{ui('detail.gone')}</p> : null}
      <FormError message={loaded?.error ?? null} />
      {sok ? (
        <div className="detail-grid">
          <div className="detail-main">
            <section aria-labelledby="detail-fields-title" id="sok-detail-facts">
              <h3 id="detail-fields-title">{ui('detail.fields')}</h3>
              <p className="detail-description" id="sok-detail-description">
                {sok.description}
              </p>
              {offDeskWithoutContact(sok) ? (
                <Notice tone="info">{ui('detail.personalDataOffDesk')}</Notice>
              ) : null}
              <dl className="detail-fields">
                <dt>{ui('form.type')}</dt>
                <dd>{nameOf(reference.sokTypes, sok.typeCode)}</dd>
                <dt>{ui('detail.channel')}</dt>
                <dd>{nameOf(reference.channels, sok.channelCode)}</dd>
                <dt>{ui('form.topic')}</dt>
                <dd>{topicLabel(reference, sok.topicCode)}</dd>
                <dt>{ui('form.district')}</dt>
                <dd>{nameOf(reference.districts, sok.districtCode)}</dd>
                <dt>{ui('form.mahalle')}</dt>
                <dd>{sok.mahalle || '—'}</dd>
                <dt>{ui('form.address')}</dt>
                <dd>{sok.address || '—'}</dd>
                <dt>{ui('form.citizenName')}</dt>
                <dd>{sok.citizenName}</dd>
                <dt>{ui('form.citizenPhone')}</dt>
                <dd id="sok-detail-phone">
                  {sok.contactMasked ? (
                    <>
                      {sok.citizenPhone || '—'}
                      {sok.contactOnDemand ? (
                        <RevealButton id={sok.id} onRevealed={setRevealed} />
                      ) : (
                        <span className="muted" id="sok-detail-masked">
                          {' '}
                          {ui('detail.masked')}
                        </span>
                      )}
                    </>
                  ) : (
                    <>
                      {phoneText(sok.citizenPhone)} <CallButton phone={sok.citizenPhone} />
                    </>
                  )}
                </dd>
                <dt>{ui('form.citizenEmail')}</dt>
                <dd>{sok.citizenEmail || '—'}</dd>
                <dt>{ui('form.preferredContact')}</dt>
                <dd>{contactName(sok.preferredContact)}</dd>
                <dt>{ui('detail.kvkk')}</dt>
                <dd>
                  {sok.kvkkNoticeAt
                    ? ui('detail.kvkkGiven', { time: formatTime(sok.kvkkNoticeAt) })
                    : ui('detail.kvkkNotGiven')}
                </dd>
                <dt>{ui('detail.smsConsent')}</dt>
                <dd>{sok.smsConsent ? ui('detail.yes') : ui('detail.no')}</dd>
                <dt>{ui('detail.originOrg')}</dt>
                <dd>{org(sok.originOrg)}</dd>
                <dt>{ui('detail.targetOrg')}</dt>
                <dd id="sok-detail-target">
                  {sok.targetOrg ? org(sok.targetOrg) : ui('detail.notRouted')}
                </dd>
                <dt>{ui('detail.routing')}</dt>
                <dd>
                  {sok.routeRuleId
                    ? // The rule's id is for administrators; the agent reads that a rule chose.
                      user?.role === 'admin'
                      ? ui('detail.routeRule', { rule: sok.routeRuleId })
                      : ui('detail.routeByRule')
                    : sok.routeReason
                      ? ui('detail.routeReasonText', { reason: sok.routeReason })
                      : '—'}
                </dd>
                <dt>{ui('detail.location')}</dt>
                <dd>
                  {sok.latitude !== null && sok.longitude !== null
                    ? `${sok.latitude.toLocaleString('tr-TR', { maximumFractionDigits: 6 })}, ${sok.longitude.toLocaleString('tr-TR', { maximumFractionDigits: 6 })}`
                    : '—'}
                </dd>
                <dt>{ui('detail.createdAt')}</dt>
                <dd>{formatTime(sok.createdAt)}</dd>
                <dt>{ui('detail.updatedAt')}</dt>
                <dd>{formatTime(sok.updatedAt)}</dd>
              </dl>
            </section>
            {user ? <WorkflowPanel sok={sok} user={user} reference={reference} /> : null}
          </div>
          <div className="detail-side">
            <section aria-labelledby="detail-timeline-title" id="sok-detail-timeline">
              <h3 id="detail-timeline-title">{ui('detail.timeline')}</h3>
              <Timeline
                events={loaded?.events ?? []}
                pending={loaded?.pending ?? []}
                org={orgShort}
                showRuleCodes={user?.role === 'admin'}
              />
              {routing ? (
                <RouteForm sok={sok} reference={reference} onDone={() => setRouting(false)} />
              ) : null}
            </section>
            <Receipts receipts={loaded?.receipts ?? []} />
            <SokAttachments sokId={sok.id} fromMail={sok.channelCode === 'e-posta'} />
          </div>
        </div>
      ) : null}
      <div className="actions end">
        {sok && !routing ? (
          notRoutable === null ? (
            <button type="button" onClick={() => setRouting(true)}>
              {ui('detail.route')}
            </button>
          ) : ['registered', 'routed', 'accepted'].includes(sok.status) ? (
            <span className="muted">{refusalText(notRoutable).message}</span>
          ) : null
        ) : null}
        <button type="button" className="secondary" onClick={onClose}>
          {ui('common.close')}
        </button>
      </div>
    </Dialog>
  );
}

/** "(Kural temizlik-ilce (konu temizlik; her ilçe): note)" in a routing event's note. */
const RULE_IN_NOTE = /\(Kural \S+ \([^()]*\)(?::\s*([^()]*))?\)/;

/** A routing note as agents read it: the rule's own note, without its id and codes. */
function withoutRuleCodes(note: string): string {
  return note
    .replace(RULE_IN_NOTE, (_, ruleNote?: string) => (ruleNote ? `(${ruleNote.trim()})` : ''))
    .trim();
}

function Timeline({
  events,
  pending,
  org,
  showRuleCodes,
}: {
  events: readonly SokEvent[];
  pending: readonly { kind: string; at: string }[];
  org(code: string | null): string;
  showRuleCodes: boolean;
}) {
  if (events.length === 0 && pending.length === 0) {
    return <p className="muted">{ui('detail.timelineEmpty')}</p>;
  }
  return (
    <ol className="timeline">
      {events.map((event) => {
        const phone = event.data?.citizenPhone;
        return (
          <li key={event.id} className={`timeline-item kind-${event.kind}`}>
            <div className="timeline-head">
              <span className="timeline-kind">{eventKindName(event.kind)}</span>
              <time dateTime={event.at}>{formatTime(event.at)}</time>
            </div>
            <div className="timeline-actor">{org(event.actorOrg)}</div>
            {event.note ? (
              <p className="timeline-note">
                {showRuleCodes ? event.note : withoutRuleCodes(event.note)}
              </p>
            ) : null}
            {event.kind === 'contact' && typeof phone === 'string' && phone !== '' ? (
              <p className="timeline-note">{phoneText(phone)}</p>
            ) : null}
          </li>
        );
      })}
      {pending.map((p, i) => (
        <li key={`pending-${i}`} className="timeline-item pending">
          <div className="timeline-head">
            <span className="timeline-kind">{ui('event.pending')}</span>
            <time dateTime={p.at}>{formatTime(p.at)}</time>
          </div>
          <div className="timeline-actor">{pendingKindName(p.kind)}</div>
        </li>
      ))}
    </ol>
  );
}

/** Messages about the ŞÖK that go to the other side (organisations), not to the citizen. */
const ORGANISATION_PURPOSES = new Set(['handoff', 'escalation']);

/**
 * Delivery state of the SMS and e-mail messages sent about this ŞÖK: to the citizen, and apart
 * from them the e-mails to organisations (hand-off, escalation) with their addressee.
 */
function Receipts({ receipts }: { receipts: readonly ReceiptWire[] }) {
  const toCitizen = receipts.filter((r) => !ORGANISATION_PURPOSES.has(r.purpose));
  const toOrganisations = receipts.filter((r) => ORGANISATION_PURPOSES.has(r.purpose));
  const item = (r: ReceiptWire, recipient: boolean) => (
    <li key={r.id} className={`receipt-item state-${r.state}`}>
      <strong>{r.channel === 'sms' ? 'SMS' : ui('detail.email')}</strong>{' '}
      {ui(PURPOSE[r.purpose] ?? 'detail.purposeReceipt')}
      {recipient ? ` · ${r.recipient}` : ''} ·{' '}
      <span className="receipt-state">{ui(RECEIPT_STATE[r.state])}</span>
      {r.sentAt ? ` · ${formatTime(r.sentAt)}` : ''}
      {r.state !== 'sent' && r.lastError ? <div className="muted">{r.lastError}</div> : null}
    </li>
  );
  return (
    <>
      <section aria-labelledby="detail-receipts-title">
        <h3 id="detail-receipts-title">{ui('detail.receipts')}</h3>
        {toCitizen.length === 0 ? (
          <p className="muted">{ui('detail.receiptsEmpty')}</p>
        ) : (
          <ul className="receipts" id="sok-detail-receipts">
            {toCitizen.map((r) => item(r, false))}
          </ul>
        )}
      </section>
      {toOrganisations.length > 0 ? (
        <section aria-labelledby="detail-org-mail-title">
          <h3 id="detail-org-mail-title">{ui('detail.orgMails')}</h3>
          <ul className="receipts" id="sok-detail-org-mails">
            {toOrganisations.map((r) => item(r, true))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

const PURPOSE: Record<string, UiKey> = {
  receipt: 'detail.purposeReceipt',
  referral: 'detail.purposeReferral',
  decision: 'detail.purposeDecision',
  handoff: 'detail.purposeHandoff',
  escalation: 'detail.purposeEscalation',
};

const RECEIPT_STATE = {
  pending: 'detail.receiptPending',
  sending: 'detail.receiptSending',
  sent: 'detail.receiptSent',
  failed: 'detail.receiptFailed',
} as const;

/**
 * KVKK: this desk dropped the closed ŞÖK's contact data and could not read it from the central
 * API (offline, or refused), so the fields are empty for that reason, not because none was given.
 */
function offDeskWithoutContact(sok: Sok): boolean {
  return (
    sok.personalDataOffDesk === true &&
    sok.citizenName === '' &&
    sok.citizenPhone === '' &&
    sok.citizenEmail === ''
  );
}
