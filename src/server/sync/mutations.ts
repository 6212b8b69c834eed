import { randomUUID } from 'node:crypto';
import type { KvkkTextKind } from '../../domain/kvkk';
import type { TimelineEventKind } from '../../domain/timeline';
import { formatRegNo, parseRegNo } from '../../domain/regno';
import {
  mutationPayloads,
  type MutationError,
  type MutationKind,
  type SokWire,
} from '../../domain/sync';
import { addContact, register } from '../../domain/workflow/registration';
import { refusalText, type CommandRefusal } from '../../domain/workflow/refusal';
import { t as serverText } from '../i18n';
import { fieldErrors } from '../../domain/validation';
import { enqueueReceipts } from '../notifications/enqueue';
import { t } from '../../domain/i18n/tr';
import { canSee } from '../scope';
import { writer, type ApplyContext, type ApplyOutcome, type Applier } from './apply-context';
import { applyAgentCall, applyAgentState, applyCallLog, applyCallWrapUp } from './call-mutations';
import { referenceCheck } from './reference-index';
import { sokToWire } from './sok-rows';
import { actorOf, workflowAppliers } from '../workflow/apply';
import { readTextVersions, type TextVersion } from '../kvkk/texts';

export {
  BATCHED_KINDS,
  writer,
  type ApplyContext,
  type ApplyOutcome,
  type Applier,
} from './apply-context';
export { indexReference, type ReferenceIndex } from './reference-index';

/** A client clock this far ahead of the server is not believed. */
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
const INVALID = 'ŞÖK bilgileri geçersiz.';

const reject = (error: MutationError, entity: SokWire | null = null): ApplyOutcome => ({
  status: 'rejected',
  error,
  entity,
});

/** A domain refusal as the push answers it. */
const errorOf = (r: CommandRefusal): MutationError => refusalText(r);

async function visibleSok(ctx: ApplyContext, id: string): Promise<SokWire | null> {
  const row = await writer(ctx).sokById(id);
  return row && canSee(ctx.auth.user, row) ? sokToWire(row, ctx.auth.user.orgCode) : null;
}

/** Appends a timeline event with its own place in the change feed. */
export async function addEvent(
  ctx: ApplyContext,
  sokId: string,
  kind: TimelineEventKind,
  note: string,
  data: Record<string, unknown> | null = null,
): Promise<number> {
  const seq = (await writer(ctx).bump('change')).last;
  await writer(ctx).insertEvent({
    id: randomUUID(),
    sok_id: sokId,
    change_seq: seq,
    kind,
    actor_id: ctx.auth.user.id,
    actor_org: ctx.auth.user.orgCode,
    at: ctx.now.toISOString(),
    note,
    data: data === null ? null : JSON.stringify(data),
  });
  return seq;
}

const applySokCreate: Applier = async (ctx, raw) => {
  const { user } = ctx.auth;
  const parsed = mutationPayloads['sok.create'].safeParse(raw);
  if (!parsed.success) {
    return reject({ code: 'validation', message: INVALID, fields: fieldErrors(parsed.error) });
  }
  const p = parsed.data;
  // Who may, which codes exist and where it goes: the domain's command, as on the desk.
  const command = register(p, {
    actor: actorOf(user),
    knows: referenceCheck(ctx.reference),
    rules: ctx.rules,
    routing: ctx.reference.routing,
    orgName: (code) => ctx.reference.orgNames.get(code) ?? code,
  });
  if (!command.ok) return reject(errorOf(command));
  const route = command.state;

  const existing = await writer(ctx).sokById(p.id);
  if (existing) {
    return reject(
      { code: 'conflict', message: 'Bu ŞÖK başka bir işlemle zaten kaydedilmiş.' },
      await visibleSok(ctx, p.id),
    );
  }

  let regNo: string;
  if (p.regNo === null) {
    const next = await writer(ctx).nextRegNo();
    if (next === null) {
      // The end of the number space (docs/sync.md, "The number plan"): refused, never a 500.
      return reject({ code: 'conflict', message: serverText('numbers.exhausted') });
    }
    regNo = formatRegNo(next);
  } else {
    const seq = parseRegNo(p.regNo);
    const block = seq !== null && (await writer(ctx).hasNumberBlock(ctx.auth.clientId, seq));
    if (!block) {
      return reject({
        code: 'conflict',
        message: `Kayıt numarası ${p.regNo} bu bilgisayara ayrılmamış.`,
        fields: { regNo: 'Geçersiz kayıt numarası.' },
      });
    }
    const taken = await writer(ctx).sokIdByRegNo(p.regNo);
    if (taken !== undefined) {
      return reject({
        code: 'conflict',
        message: `Kayıt numarası ${p.regNo} zaten kullanılmış.`,
        fields: { regNo: 'Kayıt numarası kullanılmış.' },
      });
    }
    regNo = p.regNo;
  }

  const nowIso = ctx.now.toISOString();
  const registered = new Date(p.registeredAt);
  const createdAt =
    registered.getTime() > ctx.now.getTime() + MAX_CLOCK_SKEW_MS
      ? nowIso
      : registered.toISOString();
  const seq = (await writer(ctx).bump('change')).last;
  await writer(ctx).insertSok({
    id: p.id,
    reg_no: regNo,
    type_code: p.typeCode,
    channel_code: p.channelCode,
    topic_code: p.topicCode,
    district_code: p.districtCode,
    mahalle: p.mahalle,
    address: p.address,
    description: p.description,
    citizen_name: p.citizenName,
    citizen_phone: p.citizenPhone,
    citizen_email: p.citizenEmail,
    preferred_contact: p.preferredContact,
    latitude: p.latitude,
    longitude: p.longitude,
    kvkk_notice_by: p.kvkkNoticeGiven ? user.id : null,
    kvkk_notice_at: p.kvkkNoticeGiven ? createdAt : null,
    sms_consent: p.smsConsent ? 1 : 0,
    // KVKK: which wording was read to the caller, and which consent they gave (docs/kvkk.md).
    kvkk_notice_version: p.kvkkNoticeGiven ? await textVersionAt(ctx, 'notice', createdAt) : null,
    sms_consent_version: p.smsConsent ? await textVersionAt(ctx, 'sms-consent', createdAt) : null,
    route_rule_id: route.routeRuleId,
    route_reason: route.routeReason,
    status: route.status,
    origin_org: route.originOrg,
    target_org: route.targetOrg,
    created_by: user.id,
    created_at: createdAt,
    updated_at: nowIso,
    change_seq: seq,
  });
  let last = seq;
  for (const event of command.events(regNo)) {
    last = await addEvent(ctx, p.id, event.kind, event.note, event.data);
  }
  // Receipts are written in this transaction: they exist exactly when the ŞÖK is on the server
  // (never for one it refused); the notification workers send them after the commit.
  const receipts = await enqueueReceipts(
    ctx.trx,
    {
      sok: { id: p.id, regNo, citizenName: p.citizenName, citizenPhone: p.citizenPhone, createdAt },
      topicName: ctx.reference.topicNames.get(p.topicCode) ?? p.topicCode,
      citizenEmail: p.citizenEmail,
      preferredChannel: p.preferredContact,
      smsConsent: p.smsConsent,
      now: ctx.now,
      unsendable: ctx.unsendableChannels,
    },
    writer(ctx),
  );
  return { status: 'applied', seq: Math.max(last, receipts.lastSeq) };
};

/** Another caller about the same problem: recorded on the open ŞÖK instead of a duplicate. */
const applySokAddContact: Applier = async (ctx, raw) => {
  const parsed = mutationPayloads['sok.addContact'].safeParse(raw);
  if (!parsed.success) {
    return reject({ code: 'validation', message: INVALID, fields: fieldErrors(parsed.error) });
  }
  const p = parsed.data;
  const contact = addContact(p, actorOf(ctx.auth.user));
  if (!contact.ok) return reject(errorOf(contact));
  const row = await writer(ctx).sokById(p.sokId);
  if (!row || !canSee(ctx.auth.user, row))
    return reject({ code: 'not-found', message: t('error.sokNotFound') });
  let seq = 0;
  for (const event of contact.events) {
    seq = await addEvent(ctx, p.sokId, event.kind, event.note, event.data);
  }
  return { status: 'applied', seq };
};

const appliers: Record<MutationKind, Applier> = {
  'sok.create': applySokCreate,
  'sok.addContact': applySokAddContact,
  ...workflowAppliers,
  'call.log': applyCallLog,
  'call.wrapUp': applyCallWrapUp,
  'agent.state': applyAgentState,
  'agent.call': applyAgentCall,
};

export function applyMutation(
  ctx: ApplyContext,
  kind: MutationKind,
  payload: unknown,
): Promise<ApplyOutcome> {
  return appliers[kind](ctx, payload);
}

/** The text versions, checked once per push transaction (its mutations share them). */
const checkedIn = new WeakMap<object, Promise<TextVersion[]>>();

/**
 * The version of a KVKK text in force at `at` (the latest published by then), from the
 * process's cache of the versions when the push brings one (push.ts), else read.
 */
async function textVersionAt(
  ctx: ApplyContext,
  kind: KvkkTextKind,
  at: string,
): Promise<number | null> {
  let versions = checkedIn.get(ctx.trx);
  if (versions === undefined) {
    versions = ctx.texts ? ctx.texts.versions(ctx.trx) : readTextVersions(ctx.trx);
    checkedIn.set(ctx.trx, versions);
  }
  return (await versions).find((v) => v.kind === kind && v.at <= at)?.version ?? null;
}
