import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Action } from '../../domain/workflow/inputs';
import { decisionScript } from '../../domain/workflow/scripts';
import {
  CallbackSchema,
  DecisionSchema,
  type Actor,
  type SokStatus,
  type WorkflowState,
} from '../../domain/workflow/state';
import { ATTEMPT_OUTCOMES } from '../../domain/workflow/texts';
import { refusalText, type Refusal } from '../../domain/workflow/refusal';
import {
  activeClaim,
  transition,
  type Effect,
  type TimelineEntry,
} from '../../domain/workflow/transitions';
import { canonicalPhone } from '../../domain/phone';
import { mutationPayloads } from '../../domain/sync';
import { actionOf, WORKFLOW_KINDS, type WorkflowKind } from '../../domain/workflow/mutations';
import { fieldErrors } from '../../domain/validation';
import type { AuthUser } from '../auth/context';
import { attemptEvidence } from '../calls/evidence';
import type { Database, NotificationChannel } from '../db/schema';
import { formatIstanbulTime } from '../i18n';
import { enqueueOrgMail, enqueueReceipts, recipientOf } from '../notifications/enqueue';
import { enqueueExternalRequest, isExternalOrg } from '../notifications/external';
import { t } from '../../domain/i18n/tr';
import { canSee } from '../scope';
import { writer, type ApplyContext, type ApplyOutcome, type Applier } from '../sync/apply-context';
import { directWriter, type SyncWriter } from '../sync/batch';
import type { ReferenceIndex } from '../sync/reference-index';
import { sokToWire, type SokRow } from '../sync/sok-rows';

/**
 * The ŞÖK workflow on the server: every workflow mutation kind (route, accept, return, decide,
 * close, reopen, claim, release, attempt) maps to one action of the domain state machine
 * (src/domain/workflow/transitions.ts), which decides; this module loads the ŞÖK, writes the new
 * state, the timeline events and the side effects (messages, e-mails) in the push's transaction,
 * under the write lock (through the push group's batch when there is one). The same function
 * runs the sweeper's system actions and the supervisors' assign and escalate.
 */

export function workflowStateOf(row: SokRow): WorkflowState {
  return {
    status: row.status as SokStatus,
    originOrg: row.origin_org,
    targetOrg: row.target_org,
    routeRuleId: row.route_rule_id ?? null,
    routeReason: row.route_reason ?? '',
    acceptedBy: row.accepted_by ?? null,
    acceptedAt: row.accepted_at ?? null,
    decision: row.decision ? DecisionSchema.parse(JSON.parse(row.decision)) : null,
    callback: row.callback ? CallbackSchema.parse(JSON.parse(row.callback)) : null,
  };
}

export interface Acting {
  trx: Kysely<Database>;
  reference: ReferenceIndex;
  now: Date;
  /** Null for the system (the sweeper): events carry no user. */
  actor: Actor | null;
  /** Where to read and write (a push group's batch); the transaction itself when absent. */
  writer?: SyncWriter;
  /** Receipt channels this instance cannot send (see ReceiptInput.unsendable). */
  unsendable?: ReadonlySet<NotificationChannel>;
}

export type Performed = { ok: true; seq: number; row: SokRow } | Refusal;

const SYSTEM_ACTOR: Actor = {
  userId: 'system',
  displayName: 'Alo 153',
  orgCode: 'system',
  orgKind: 'system',
  role: 'system',
};

/** The signed-in user as the actor of a workflow action. */
export function actorOf(user: AuthUser): Actor {
  return {
    userId: user.id,
    displayName: user.displayName,
    orgCode: user.orgCode,
    orgKind: user.orgKind,
    role: user.role,
  };
}

/** Runs one action on a loaded ŞÖK and stores everything it causes. */
export async function perform(acting: Acting, row: SokRow, action: Action): Promise<Performed> {
  const { trx, reference, now } = acting;
  const { settings, calendars } = reference.workflow;
  const calendar = await calendars.get(trx, now.getTime());
  const w = acting.writer ?? directWriter(trx);
  const state = workflowStateOf(row);
  const result = transition(state, action, {
    actor: acting.actor ?? SYSTEM_ACTOR,
    now,
    callCentreOrg: settings.callCentreOrg,
    calendar,
    policy: settings.policy,
    topicWorkingDays: settings.topicWorkingDays.get(row.topic_code) ?? null,
    orgName: (code) => reference.orgNames.get(code) ?? code,
    orgExists: (code) => reference.orgs.has(code),
    isExternalOrg: (code) => reference.externalOrgs.has(code),
  });
  if (!result.ok) return result;

  const next = result.state;
  const cb = next.callback;
  const nowIso = now.toISOString();
  const seq = (await w.bump('change')).last;
  const changes = {
    status: next.status,
    target_org: next.targetOrg,
    route_rule_id: next.routeRuleId,
    route_reason: next.routeReason,
    accepted_by: next.acceptedBy,
    accepted_at: next.acceptedAt,
    decision: next.decision === null ? null : JSON.stringify(next.decision),
    callback: cb === null ? null : JSON.stringify(cb),
    callback_owner_org: cb?.ownerOrg ?? null,
    callback_state: cb?.state ?? null,
    callback_due_at: cb?.dueAt ?? null,
    callback_closed_at: cb?.closedAt ?? null,
    claimed_by: cb && cb.state === 'open' ? cb.claimedBy : null,
    claim_until: cb && cb.state === 'open' ? cb.claimUntil : null,
    escalation_level: cb?.escalation ?? null,
    updated_at: nowIso,
    change_seq: seq,
  };
  await w.updateSok(row.id, changes);
  // The row as it now is, without reading it back.
  const updated: SokRow = { ...row, ...changes };
  let last = seq;

  // A ŞÖK routed or returned elsewhere leaves the organisation that had it, unless that one
  // also sent it.
  if (state.targetOrg !== null && next.targetOrg !== state.targetOrg) {
    if (state.targetOrg !== row.origin_org) {
      last = (await w.bump('change')).last;
      await w.insertRevocation({
        seq: last,
        sok_id: row.id,
        org_code: state.targetOrg,
        created_at: nowIso,
      });
    }
  }

  for (const event of result.events) last = await insertEvent(acting, row.id, event);
  for (const effect of result.effects) {
    last = Math.max(last, await carryOut(acting, updated, next, effect));
  }
  // Routed to an organisation outside the app: it gets the ŞÖK by e-mail (docs/mailbox.md).
  if (
    next.targetOrg !== null &&
    next.targetOrg !== state.targetOrg &&
    next.status === 'routed' &&
    (await isExternalOrg(acting.trx, next.targetOrg))
  ) {
    // It writes the transaction directly: a push's batch is written out first and re-read after.
    const batch = acting.writer as Partial<{ flush(): Promise<void>; forget(): void }> | undefined;
    await batch?.flush?.();
    batch?.forget?.();
    const mail = await enqueueExternalRequest(
      acting.trx,
      updated,
      next.targetOrg,
      acting.reference,
      acting.now,
    );
    last = Math.max(last, mail.seq);
    if (mail.waiting) {
      const orgName = acting.reference.orgNames.get(next.targetOrg) ?? next.targetOrg;
      last = await insertEvent(acting, row.id, {
        kind: 'mail-not-sent',
        note: `${orgName} için e-posta adresi tanımlı değil; başvuru e-postası bekletiliyor, adres girilince gönderilecek.`,
        data: { org: next.targetOrg, purpose: 'external-request', notificationId: mail.id },
      });
    }
  }
  return { ok: true, seq: last, row: updated };
}

async function insertEvent(acting: Acting, sokId: string, event: TimelineEntry): Promise<number> {
  const w = acting.writer ?? directWriter(acting.trx);
  const seq = (await w.bump('change')).last;
  await w.insertEvent({
    id: randomUUID(),
    sok_id: sokId,
    change_seq: seq,
    kind: event.kind,
    actor_id: acting.actor?.userId ?? null,
    actor_org: acting.actor?.orgCode ?? null,
    at: acting.now.toISOString(),
    note: event.note,
    data: event.data === null ? null : JSON.stringify(event.data),
  });
  return seq;
}

/** The decision as the citizen hears it (and reads it when they cannot be reached). */
export function scriptFor(row: SokRow, state: WorkflowState, reference: ReferenceIndex): string {
  if (state.decision === null) return '';
  return decisionScript(state.decision, {
    regNo: row.reg_no,
    citizenName: row.citizen_name,
    topicName: reference.topicNames.get(row.topic_code) ?? row.topic_code,
    orgName: reference.orgNames.get(state.decision.decidedOrg) ?? state.decision.decidedOrg,
  });
}

async function orgMailbox(trx: Kysely<Database>, code: string): Promise<string | null> {
  const row = await trx
    .selectFrom('organisation')
    .select('email')
    .where('code', '=', code)
    .executeTakeFirst();
  return row?.email ?? null;
}

async function carryOut(
  acting: Acting,
  row: SokRow,
  state: WorkflowState,
  effect: Effect,
): Promise<number> {
  const { trx, reference, now } = acting;
  const topic = reference.topicNames.get(row.topic_code) ?? row.topic_code;
  const owner = state.callback?.ownerOrg ?? row.target_org ?? '';
  const ownerName = reference.orgNames.get(owner) ?? owner;
  const script = scriptFor(row, state, reference);
  switch (effect.kind) {
    case 'referral-to-citizen': {
      const name = reference.orgNames.get(effect.targetOrg) ?? effect.targetOrg;
      const told = await enqueueReceipts(
        trx,
        {
          ...recipientOf(row),
          topicName: topic,
          now,
          unsendable: acting.unsendable,
          purpose: 'referral',
          referral: {
            organisation: name,
            organisationPhone: reference.orgPhones.get(effect.targetOrg) ?? null,
            reason: effect.reason,
          },
        },
        acting.writer,
      );
      return told.lastSeq;
    }
    case 'decision-to-citizen': {
      const recipient = recipientOf(row);
      if (effect.wrongNumber) {
        // Nothing goes to a number marked wrong: e-mail only, else a written notice by hand.
        recipient.sok = { ...recipient.sok, citizenPhone: '' };
      }
      const sent = await enqueueReceipts(trx, {
        ...recipient,
        topicName: topic,
        now,
        purpose: 'decision',
        decision: { organisation: ownerName, text: script },
      });
      if (effect.wrongNumber) {
        return insertEvent(
          acting,
          row.id,
          sent.receipts.length > 0
            ? {
                kind: 'decision-by-email',
                note: 'Numara yanlış olduğu için karar SMS ile değil, e-posta ile gönderildi.',
                data: { reason: 'wrong-number' },
              }
            : {
                kind: 'written-notice-needed',
                note: 'Numara yanlış ve e-posta adresi yok: karar vatandaşa posta ile veya elden yazılı olarak bildirilmeli.',
                data: { reason: 'wrong-number', skipped: sent.skipped },
              },
        );
      }
      if (sent.receipts.length === 0) {
        // Neither a mobile number nor an e-mail address: say so, never drop it silently.
        return insertEvent(acting, row.id, {
          kind: 'decision-not-sent',
          note: 'Karar yazılı gönderilemedi: vatandaşın cep telefonu veya e-posta adresi yok. Kayıt, denemeler kanıt olarak kapandı.',
          data: { skipped: sent.skipped },
        });
      }
      return sent.lastSeq;
    }
    case 'inform-other-side':
    case 'escalation': {
      const to = effect.kind === 'inform-other-side' ? effect.to : effect.org;
      const outcome =
        effect.kind === 'inform-other-side'
          ? effect.outcome === 'reached'
            ? `Vatandaşa telefonla ulaşıldı ve karar bildirildi (${state.callback?.attempts ?? 0}. arama).`
            : `Vatandaşa ${state.callback?.attempts ?? 0} denemede ulaşılamadı (${lastOutcomeName(state)}); karar yazılı olarak gönderildi.`
          : escalationOutcome(effect, state, now);
      const orgName = reference.orgNames.get(to) ?? to;
      const mail = await enqueueOrgMail(trx, {
        sokId: row.id,
        org: to,
        orgName,
        purpose: effect.kind === 'inform-other-side' ? 'handoff' : 'escalation',
        template: effect.kind === 'inform-other-side' ? 'handoff.email' : 'escalation.email',
        recipient: await orgMailbox(trx, to),
        values: {
          regNo: row.reg_no,
          topic,
          date: formatIstanbulTime(row.created_at),
          organisation: ownerName,
          decision: script,
          outcome,
        },
        now,
      });
      if (!mail.waiting) return mail.seq;
      return insertEvent(acting, row.id, {
        kind: 'mail-not-sent',
        note: `${orgName} için e-posta adresi tanımlı değil; bilgi e-postası bekletiliyor, adres girilince gönderilecek.`,
        data: { org: to, purpose: effect.kind, notificationId: mail.id },
      });
    }
  }
}

/**
 * The escalation e-mail's "Durum": late and raised by the sweeper, or raised by a supervisor —
 * then whether the deadline has passed is said as it is, with who raised it and why.
 */
function escalationOutcome(
  effect: Extract<Effect, { kind: 'escalation' }>,
  state: WorkflowState,
  now: Date,
): string {
  const dueAt = state.callback?.dueAt ?? now.toISOString();
  const due = formatIstanbulTime(dueAt);
  const to = effect.level === 1 ? 'kurum süpervizörüne' : 'BİKOM süpervizörlerine';
  if (!effect.manual) return `Geri arama ${due} tarihine kadar yapılmalıydı; ${to} bildirildi.`;
  const deadline =
    Date.parse(dueAt) > now.getTime()
      ? `Geri arama süresi henüz dolmadı (son gün: ${due}).`
      : `Geri arama ${due} tarihine kadar yapılmalıydı.`;
  return `${deadline} ${effect.manual.by} ${to} bildirdi. Gerekçe: ${effect.manual.reason}`;
}

function lastOutcomeName(state: WorkflowState): string {
  const o = state.callback?.lastOutcome;
  return o ? ATTEMPT_OUTCOMES[o].toLocaleLowerCase('tr-TR') : '';
}

const INVALID = 'Girilen bilgiler geçersiz.';

/** Builds the applier of one workflow mutation kind. */
function workflowApplier(kind: WorkflowKind): Applier {
  return async (ctx: ApplyContext, raw: unknown): Promise<ApplyOutcome> => {
    const parsed = mutationPayloads[kind].safeParse(raw);
    if (!parsed.success) {
      // The desk replaces its optimistic copy with the server's: send it when there is one.
      const id = z.object({ sokId: z.uuid() }).safeParse(raw);
      const row = id.success ? await writer(ctx).sokById(id.data.sokId) : undefined;
      return {
        status: 'rejected',
        error: { code: 'validation', message: INVALID, fields: fieldErrors(parsed.error) },
        entity: row && canSee(ctx.auth.user, row) ? sokToWire(row, ctx.auth.user.orgCode) : null,
      };
    }
    const payload = parsed.data as Record<string, unknown> & { sokId: string };
    const row = await writer(ctx).sokById(payload.sokId);
    const { user } = ctx.auth;
    if (!row || !canSee(user, row)) {
      return {
        status: 'rejected',
        error: { code: 'not-found', message: t('error.sokNotFound') },
        entity: null,
      };
    }
    let acted = payload;
    if (kind === 'callback.attempt' && typeof payload.callId === 'string') {
      const evidence = await attemptEvidence(ctx.trx, {
        callId: payload.callId,
        sipCallId: (payload.sipCallId as string | null) ?? null,
        orgCode: user.orgCode,
        citizenPhone: canonicalPhone(row.citizen_phone ?? ''),
      });
      if (!evidence.ok) {
        return {
          status: 'rejected',
          error: {
            code: 'validation',
            message: evidence.message,
            fields: { callId: evidence.message },
          },
          entity: sokToWire(row, user.orgCode),
        };
      }
      acted = { ...payload, sipCallId: evidence.sipCallId };
    }
    const done = await perform(
      {
        trx: ctx.trx,
        reference: ctx.reference,
        now: ctx.now,
        actor: actorOf(user),
        writer: writer(ctx),
        unsendable: ctx.unsendableChannels,
      },
      row,
      actionOf(kind, acted),
    );
    if (!done.ok) {
      return {
        status: 'rejected',
        error: refusalText(done),
        entity: sokToWire(row, user.orgCode),
      };
    }
    return { status: 'applied', seq: done.seq };
  };
}

export const workflowAppliers = Object.fromEntries(
  WORKFLOW_KINDS.map((kind) => [kind, workflowApplier(kind)]),
) as Record<WorkflowKind, Applier>;

/** Whether a claim on this row has run out (for the sweeper's query result). */
export function claimLapsed(row: SokRow, now: Date): boolean {
  const cb = row.callback ? CallbackSchema.parse(JSON.parse(row.callback)) : null;
  return cb !== null && cb.claimedBy !== null && activeClaim(cb, now) === null;
}
