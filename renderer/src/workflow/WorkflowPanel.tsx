import { useEffect, useState, type FormEvent } from 'react';
import {
  activeClaim,
  availableActions,
  whyNot,
  ATTEMPT_OUTCOMES,
  DECISION_KINDS,
  DECISION_NAMES,
  decisionScript,
  decisionSummary,
  WONT_DO_REASONS,
  type AttemptOutcome,
  type DecisionKind,
  type WontDoReason,
} from '../../../src/domain/workflow';
import type { ReferenceSnapshot } from '../../../src/domain/reference';
import type { SessionUser } from '../../../src/domain/session';
import type { Sok } from '../../../src/domain/sok';
import { BridgeError, call } from '../bridge';
import { FormError } from '../ui/fields';
import { CallButton } from '../phone/CallButton';
import { usePhoneSession, type CallbackCall } from '../phone/session';
import { formatShort, ui, CALL_OUTCOME_KEY } from '../i18n';
import { orgName } from '../ui/org-options';
import { phoneText, topicName } from '../sok/sok-format';
import { dueText, isOverdue, legalText } from './countdown';
import { useWorkflowSettings } from './settings-store';

type Form = null | 'return' | 'decide' | 'close' | 'reopen';

/**
 * The ŞÖK's place in the mandated callback: the 30-day legal limit, the receiving desk's
 * accept / return / decide, the decision and the script to read, the callback task with its due
 * time, claim and attempts, and closing or reopening. Every button is an action of the same state
 * machine the server enforces; a refusal comes back as a Turkish message here.
 */
export function WorkflowPanel({
  sok,
  user,
  reference,
}: {
  sok: Sok;
  user: SessionUser;
  reference: ReferenceSnapshot;
}) {
  const { settings, calendar, load } = useWorkflowSettings();
  const [form, setForm] = useState<Form>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!settings) void load().catch(() => undefined);
  }, [settings, load]);

  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      await fn();
      setForm(null);
    } catch (e) {
      const fields = e instanceof BridgeError ? (e.data.fields ?? {}) : {};
      const message = e instanceof Error ? e.message : String(e);
      // A refusal about one field is shown at that field, once.
      setError(Object.values(fields).includes(message) ? null : message);
      setFieldErrors(fields);
    } finally {
      setBusy(false);
    }
  };

  const org = (code: string) => orgName(reference.organisations, code);
  const cb = sok.callback;
  // Every button below is offered exactly when the state machine's guard allows the action.
  const now = new Date();
  const actor = { userId: user.id, orgCode: user.orgCode, orgKind: user.orgKind, role: user.role };
  const guardCtx = {
    now,
    callCentreOrg: settings?.callCentreOrg ?? '',
    isExternalOrg: (code: string) =>
      reference.organisations.some((o) => o.code === code && o.external === true),
  };
  const actions = availableActions(sok, actor, guardCtx);
  // The callback is this organisation's, though someone else may hold it now.
  const ours =
    actions.has('attempt') ||
    actions.has('claim') ||
    actions.has('release') ||
    whyNot(sok, actor, 'claim', guardCtx)?.code === 'conflict';
  const holder = activeClaim(cb, now);
  const maxAttempts = settings?.policy.maxAttempts ?? 3;
  const legal = legalText(sok.createdAt);
  const open = sok.status !== 'closed';
  const proposal = usePhoneSession((s) => s.callbackCalls[sok.id] ?? null);

  return (
    <section
      aria-labelledby="wf-title"
      className="workflow"
      id="sok-workflow"
      // Editing a field after a refusal: the old verdict goes (the next submit judges again).
      onChange={() => {
        setError(null);
        setFieldErrors({});
      }}
    >
      <h3 id="wf-title">{ui('wf.title')}</h3>
      {open ? (
        <p className={legal.late ? 'wf-legal late' : 'wf-legal'} id="wf-legal">
          <strong>{ui('wf.legal')}:</strong> {legal.text}
        </p>
      ) : null}

      {actions.has('decide') ? (
        <div className="actions">
          {actions.has('accept') ? (
            <button
              type="button"
              disabled={busy}
              onClick={() => void run(() => call('sok.accept', { sokId: sok.id }))}
            >
              {ui('wf.accept')}
            </button>
          ) : null}
          <button type="button" disabled={busy} onClick={() => setForm('decide')}>
            {ui('wf.decide')}
          </button>
          {actions.has('return') ? (
            <button type="button" className="secondary" onClick={() => setForm('return')}>
              {ui('wf.return')}
            </button>
          ) : null}
        </div>
      ) : null}
      {!actions.has('decide') &&
      (sok.status === 'routed' || sok.status === 'accepted') &&
      sok.targetOrg ? (
        <p className="muted">{ui('wf.notYours', { org: org(sok.targetOrg) })}</p>
      ) : null}

      {form === 'return' ? (
        <ReasonForm
          id="wf-return"
          label={ui('wf.returnReason')}
          submit={ui('wf.returnSubmit')}
          busy={busy}
          error={fieldErrors.reason}
          onCancel={() => setForm(null)}
          onSubmit={(reason) => run(() => call('sok.return', { sokId: sok.id, reason }))}
        />
      ) : null}
      {form === 'decide' ? (
        <DecisionForm
          busy={busy}
          errors={fieldErrors}
          onCancel={() => setForm(null)}
          onSubmit={(d) => run(() => call('sok.decide', { sokId: sok.id, ...d }))}
        />
      ) : null}

      {sok.decision ? (
        <div className="wf-decision" id="wf-decision">
          <p>
            <strong>{ui('wf.decision')}:</strong> {DECISION_NAMES[sok.decision.kind]} —{' '}
            {decisionSummary(sok.decision)}{' '}
            <span className="muted">({org(sok.decision.decidedOrg)})</span>
          </p>
          <p className="wf-script-label">{ui('wf.script')}:</p>
          <blockquote className="wf-script" id="wf-script">
            {decisionScript(sok.decision, {
              regNo: sok.regNo,
              citizenName: sok.contactMasked ? '' : sok.citizenName,
              topicName: topicName(reference, sok.topicCode),
              orgName: org(sok.decision.decidedOrg),
            })}
          </blockquote>
        </div>
      ) : null}

      {cb && cb.state !== 'cancelled' ? (
        <div
          className={
            cb.state === 'open' && isOverdue(cb.dueAt) ? 'wf-callback overdue' : 'wf-callback'
          }
          id="wf-callback"
        >
          <p>
            <strong>{ui('wf.callback')}</strong> ·{' '}
            {ui('wf.callbackOwner', { org: org(cb.ownerOrg) })} ·{' '}
            {ui('wf.attempts', { n: cb.attempts, max: maxAttempts })}
          </p>
          {cb.state === 'open' ? (
            <p id="wf-due">
              {dueText(calendar, cb.dueAt)}
              {cb.escalation > 0 ? (
                <span className="tag warn">
                  {ui(cb.escalation === 1 ? 'wf.escalated1' : 'wf.escalated2')}
                </span>
              ) : null}
            </p>
          ) : (
            <p id="wf-callback-state">
              {ui(
                cb.state === 'done'
                  ? 'wf.stateDone'
                  : cb.state === 'unreachable'
                    ? 'wf.stateUnreachable'
                    : 'wf.stateCancelled',
              )}
            </p>
          )}
          {cb.state === 'open' ? (
            <p id="wf-claim">
              {holder === null
                ? ui('wf.pool')
                : holder === user.id
                  ? ui('wf.claimedByMe')
                  : ui('wf.claimedBy', { name: cb.claimedByName ?? '' })}
            </p>
          ) : null}
          {ours && cb.state === 'open' ? (
            <>
              {!sok.contactMasked && sok.citizenPhone ? (
                <p>
                  {ui('wf.callCitizen')}{' '}
                  <CallButton phone={sok.citizenPhone} callbackFor={sok.id} />
                </p>
              ) : null}
              <div className="actions">
                {!actions.has('release') ? (
                  <button
                    type="button"
                    disabled={busy || !actions.has('claim')}
                    onClick={() => void run(() => call('callback.claim', { sokId: sok.id }))}
                  >
                    {ui('wf.claim')}
                  </button>
                ) : (
                  <button
                    type="button"
                    className="secondary"
                    disabled={busy}
                    onClick={() => void run(() => call('callback.release', { sokId: sok.id }))}
                  >
                    {ui('wf.release')}
                  </button>
                )}
              </div>
              {actions.has('attempt') ? (
                <AttemptForm
                  key={proposal?.entry.id ?? 'by-hand'}
                  proposal={proposal}
                  busy={busy}
                  errors={fieldErrors}
                  onDetach={() => usePhoneSession.getState().clearCallbackCall(sok.id)}
                  onSubmit={(outcome, note) =>
                    run(async () => {
                      // The call made from this task is the attempt's evidence, at its time.
                      const evidence = proposal
                        ? {
                            callId: proposal.entry.id,
                            sipCallId: proposal.entry.sipCallId,
                            at: proposal.entry.startedAt,
                          }
                        : {};
                      await call('callback.attempt', { sokId: sok.id, outcome, note, ...evidence });
                      if (proposal) usePhoneSession.getState().clearCallbackCall(sok.id);
                    })
                  }
                />
              ) : null}
            </>
          ) : null}
        </div>
      ) : null}

      {actions.has('close') ? (
        <ReasonAction
          open={form === 'close'}
          onOpen={() => setForm('close')}
          id="wf-close"
          label={ui('wf.closeNote')}
          submit={ui('wf.close')}
          busy={busy}
          error={fieldErrors.note}
          onCancel={() => setForm(null)}
          onSubmit={(note) => run(() => call('sok.close', { sokId: sok.id, note }))}
        />
      ) : null}

      {actions.has('reopen') ? (
        <ReasonAction
          open={form === 'reopen'}
          onOpen={() => setForm('reopen')}
          secondary
          id="wf-reopen"
          label={ui('wf.reopenReason')}
          submit={ui('wf.reopen')}
          busy={busy}
          error={fieldErrors.reason}
          onCancel={() => setForm(null)}
          onSubmit={(reason) => run(() => call('sok.reopen', { sokId: sok.id, reason }))}
        />
      ) : null}
      <FormError message={error} />
    </section>
  );
}

/** A button that opens a reason form in its place (close, reopen). */
function ReasonAction({
  open,
  onOpen,
  secondary = false,
  ...form
}: Parameters<typeof ReasonForm>[0] & { open: boolean; onOpen(): void; secondary?: boolean }) {
  if (open) return <ReasonForm {...form} />;
  return (
    <div className="actions">
      <button type="button" className={secondary ? 'secondary' : undefined} onClick={onOpen}>
        {form.submit}
      </button>
    </div>
  );
}

function ReasonForm({
  id,
  label,
  submit,
  busy,
  error,
  onSubmit,
  onCancel,
}: {
  id: string;
  label: string;
  submit: string;
  busy: boolean;
  error: string | undefined;
  onSubmit(text: string): Promise<void>;
  onCancel(): void;
}) {
  const [text, setText] = useState('');
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        void onSubmit(text);
      }}
    >
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        value={text}
        onChange={(e) => setText(e.target.value)}
        rows={2}
        aria-invalid={error ? true : undefined}
      />
      {error ? <span className="field-error">{error}</span> : null}
      <div className="actions">
        <button type="submit" disabled={busy}>
          {submit}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {ui('common.cancel')}
        </button>
      </div>
    </form>
  );
}

interface DecisionInput {
  kind: DecisionKind;
  plannedDate: string | null;
  reasonCategory: WontDoReason | null;
  explanation: string;
  referralBody: string | null;
}

function DecisionForm({
  busy,
  errors,
  onSubmit,
  onCancel,
}: {
  busy: boolean;
  errors: Record<string, string>;
  onSubmit(d: DecisionInput): Promise<void>;
  onCancel(): void;
}) {
  const [kind, setKind] = useState<DecisionKind>('will-do');
  const [plannedDate, setPlannedDate] = useState('');
  const [reason, setReason] = useState<WontDoReason | ''>('');
  const [explanation, setExplanation] = useState('');
  const [referralBody, setReferralBody] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void onSubmit({
      kind,
      plannedDate: kind === 'will-do' && plannedDate ? plannedDate : null,
      reasonCategory: kind === 'wont-do' && reason ? reason : null,
      explanation,
      referralBody: kind === 'not-ours' ? referralBody : null,
    });
  };
  const err = (name: string) =>
    errors[name] ? (
      <span className="field-error" id={`wf-${name}-error`}>
        {errors[name]}
      </span>
    ) : null;
  return (
    <form className="stack wf-decide" onSubmit={submit} id="wf-decide">
      <label htmlFor="wf-kind">{ui('wf.decisionKind')}</label>
      <select id="wf-kind" value={kind} onChange={(e) => setKind(e.target.value as DecisionKind)}>
        {DECISION_KINDS.map((k) => (
          <option key={k} value={k}>
            {DECISION_NAMES[k]}
          </option>
        ))}
      </select>
      {kind === 'will-do' ? (
        <>
          <label htmlFor="wf-planned">{ui('wf.plannedDate')}</label>
          <input
            id="wf-planned"
            type="date"
            value={plannedDate}
            onChange={(e) => setPlannedDate(e.target.value)}
          />
          {err('plannedDate')}
        </>
      ) : null}
      {kind === 'wont-do' ? (
        <>
          <label htmlFor="wf-reason">{ui('wf.reasonCategory')}</label>
          <select
            id="wf-reason"
            value={reason}
            onChange={(e) => setReason(e.target.value as WontDoReason)}
          >
            <option value="">—</option>
            {Object.entries(WONT_DO_REASONS).map(([code, name]) => (
              <option key={code} value={code}>
                {name}
              </option>
            ))}
          </select>
          {err('reasonCategory')}
        </>
      ) : null}
      {kind === 'not-ours' ? (
        <>
          <label htmlFor="wf-referral">{ui('wf.referralBody')}</label>
          <input
            id="wf-referral"
            value={referralBody}
            onChange={(e) => setReferralBody(e.target.value)}
          />
          {err('referralBody')}
        </>
      ) : null}
      <label htmlFor="wf-explanation">{ui('wf.explanation')}</label>
      <textarea
        id="wf-explanation"
        rows={3}
        value={explanation}
        onChange={(e) => setExplanation(e.target.value)}
      />
      {err('explanation')}
      <div className="actions">
        <button type="submit" disabled={busy}>
          {ui('wf.decideSubmit')}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {ui('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function AttemptForm({
  proposal,
  busy,
  errors,
  onSubmit,
  onDetach,
}: {
  /** The call made from this task, and the outcome its result proposes. */
  proposal: CallbackCall | null;
  busy: boolean;
  errors: Record<string, string>;
  onSubmit(outcome: AttemptOutcome, note: string): Promise<void>;
  onDetach(): void;
}) {
  // By hand, nothing is chosen for the agent; after a call, its result is proposed.
  const [outcome, setOutcome] = useState<AttemptOutcome | ''>(proposal?.outcome ?? '');
  const [note, setNote] = useState('');
  const entry = proposal?.entry;
  return (
    <form
      className="stack wf-attempt"
      id="wf-attempt"
      onSubmit={(e) => {
        e.preventDefault();
        if (outcome) void onSubmit(outcome, note).then(() => setNote(''));
      }}
    >
      {entry ? (
        <div className="wf-attempt-call" id="wf-attempt-call" data-call-id={entry.id}>
          <p>
            {ui('wf.attemptCall', {
              time: formatShort(entry.startedAt),
              number: phoneText(entry.number),
              result: entry.endReason || ui(CALL_OUTCOME_KEY[entry.outcome]),
            })}{' '}
            <button type="button" className="link" onClick={onDetach}>
              {ui('wf.attemptCallDetach')}
            </button>
          </p>
          <p className="muted">{ui('wf.attemptCallHint')}</p>
        </div>
      ) : null}
      <label htmlFor="wf-outcome">{ui('wf.outcome')}</label>
      <select
        id="wf-outcome"
        value={outcome}
        onChange={(e) => setOutcome(e.target.value as AttemptOutcome | '')}
      >
        <option value="" disabled>
          {ui('wf.outcomeChoose')}
        </option>
        {Object.entries(ATTEMPT_OUTCOMES).map(([code, name]) => (
          <option key={code} value={code}>
            {name}
          </option>
        ))}
      </select>
      <label htmlFor="wf-note">{ui('wf.attemptNote')}</label>
      <textarea id="wf-note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      {errors.note ? <span className="field-error">{errors.note}</span> : null}
      {errors.at ? <span className="field-error">{errors.at}</span> : null}
      {errors.callId ? <span className="field-error">{errors.callId}</span> : null}
      <div className="actions">
        <button type="submit" disabled={busy || outcome === ''}>
          {ui('wf.logAttempt')}
        </button>
      </div>
    </form>
  );
}
