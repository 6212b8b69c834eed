import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ReferenceData } from '../../domain/reference';
import { formatRegNo, parseRegNo } from '../../domain/regno';
import { suggestRoute, type RoutingContext, type RoutingRule } from '../../domain/routing';
import { REGISTERING_ROLES } from '../../domain/session';
import {
  mutationPayloads,
  type MutationError,
  type MutationKind,
  type SokWire,
} from '../../domain/sync';
import { t } from '../../domain/i18n/tr';
import { t as serverText } from '../i18n';
import { fieldErrors } from '../../domain/validation';
import type { AuthContext } from '../auth/context';
import type { Database, NotificationChannel } from '../db/schema';
import { enqueueReceipts, recipientOf } from '../notifications/enqueue';
import { routingContext } from '../routing/rules';
import { canSee } from '../scope';
import { directWriter, type SyncWriter, type WriteBatch } from './batch';
import { applyAgentCall, applyAgentState, applyCallLog, applyCallWrapUp } from './call-mutations';
import { sokToWire } from './sok-rows';
import type { WorkflowConfig } from '../config';
import {
  CalendarCache,
  DEFAULT_WORKFLOW_CONFIG,
  workflowSettings,
  type WorkflowSettings,
} from '../workflow/settings';
import { workflowAppliers } from '../workflow/apply';

export type ApplyOutcome =
  | { status: 'applied'; seq: number }
  | { status: 'rejected'; error: MutationError; entity: SokWire | null };

export interface ApplyContext {
  trx: Kysely<Database>;
  auth: AuthContext;
  reference: ReferenceIndex;
  rules: readonly RoutingRule[];
  now: Date;
  /**
   * When set (a push group, see push.ts), the appliers of `BATCHED_KINDS` read and write
   * through it instead of `trx`; it writes to `trx` when flushed. Other appliers use `trx` and
   * never see it (push.ts flushes it before them).
   */
  batch?: WriteBatch;
  /** Receipt channels this instance cannot send (see ReceiptInput.unsendable). */
  unsendableChannels?: ReadonlySet<NotificationChannel>;
}

/** The mutation kinds whose appliers go through `ApplyContext.batch` (via `writer`). */
export const BATCHED_KINDS: ReadonlySet<MutationKind> = new Set([
  'sok.create',
  'sok.route',
  'sok.addContact',
]);

/** Where an applier reads and writes: the push's batch, or straight to the transaction. */
export function writer(ctx: ApplyContext): SyncWriter {
  return ctx.batch ?? directWriter(ctx.trx);
}

/** Reference codes the server checks pushed changes against. */
export interface ReferenceIndex {
  types: ReadonlySet<string>;
  channels: ReadonlySet<string>;
  /** Leaf topics: the ones a ŞÖK can have. */
  topics: ReadonlySet<string>;
  allTopics: ReadonlySet<string>;
  districts: ReadonlySet<string>;
  orgs: ReadonlySet<string>;
  orgNames: ReadonlyMap<string, string>;
  /** Public phone lines (BUSKİ 185 …) given to citizens whose request is referred there. */
  orgPhones: ReadonlyMap<string, string>;
  /** Topic names as the citizen reads them (receipts). */
  topicNames: ReadonlyMap<string, string>;
  routing: RoutingContext;
  /** The callback workflow's settings and the working-day calendar in force. */
  workflow: { settings: WorkflowSettings; calendars: CalendarCache };
}

export function indexReference(
  data: ReferenceData,
  workflow: WorkflowConfig = DEFAULT_WORKFLOW_CONFIG,
): ReferenceIndex {
  const settings = workflowSettings(workflow, data);
  const parents = new Set(data.topics.map((x) => x.parentCode).filter((p) => p !== null));
  return {
    types: new Set(data.sokTypes.map((x) => x.code)),
    channels: new Set(data.channels.map((x) => x.code)),
    topics: new Set(data.topics.filter((x) => !parents.has(x.code)).map((x) => x.code)),
    allTopics: new Set(data.topics.map((x) => x.code)),
    districts: new Set(data.districts.map((x) => x.code)),
    orgs: new Set(data.organisations.map((x) => x.code)),
    orgNames: new Map(data.organisations.map((x) => [x.code, x.name])),
    orgPhones: new Map(
      data.organisations.flatMap((x) => (x.publicPhone ? [[x.code, x.publicPhone] as const] : [])),
    ),
    topicNames: new Map(data.topics.map((x) => [x.code, x.name])),
    routing: routingContext(data),
    workflow: { settings, calendars: new CalendarCache(settings) },
  };
}

/** A client clock this far ahead of the server is not believed. */
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
const INVALID = 'ŞÖK bilgileri geçersiz.';

const reject = (error: MutationError, entity: SokWire | null = null): ApplyOutcome => ({
  status: 'rejected',
  error,
  entity,
});

export type Applier = (ctx: ApplyContext, payload: unknown) => Promise<ApplyOutcome>;

async function visibleSok(ctx: ApplyContext, id: string): Promise<SokWire | null> {
  const row = await writer(ctx).sokById(id);
  return row && canSee(ctx.auth.user, row) ? sokToWire(row, ctx.auth.user.orgCode) : null;
}

/** Appends a timeline event with its own place in the change feed. */
export async function addEvent(
  ctx: ApplyContext,
  sokId: string,
  kind: string,
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
  if (!REGISTERING_ROLES.has(user.role)) {
    return reject({ code: 'forbidden', message: 'Bu rol ŞÖK kaydedemez.' });
  }
  const fields: Record<string, string> = {};
  if (!ctx.reference.types.has(p.typeCode)) fields.typeCode = 'Bilinmeyen ŞÖK türü.';
  if (!ctx.reference.channels.has(p.channelCode)) fields.channelCode = 'Bilinmeyen başvuru kanalı.';
  if (!ctx.reference.topics.has(p.topicCode)) fields.topicCode = 'Bilinmeyen konu.';
  if (!ctx.reference.districts.has(p.districtCode)) fields.districtCode = 'Bilinmeyen ilçe.';
  if (p.targetOrg !== null && !ctx.reference.orgs.has(p.targetOrg)) {
    fields.targetOrg = 'Bilinmeyen kurum.';
  }
  if (Object.keys(fields).length > 0)
    return reject({ code: 'validation', message: INVALID, fields });

  // Routing: the rules' suggestion unless the agent chose otherwise, which needs a reason. The
  // agent's screen may have shown older rules; their choice stands, with its rule or reason.
  const suggestion = suggestRoute(ctx.rules, p, ctx.reference.routing);
  const target = p.targetOrg ?? suggestion?.targetOrg ?? null;
  const followsRule =
    (p.routeRuleId !== null && p.targetOrg !== null) || target === suggestion?.targetOrg;
  if (!followsRule && p.routeReason.length < 5) {
    return reject({
      code: 'validation',
      message: INVALID,
      fields: { routeReason: t('validation.routeReasonRequired') },
    });
  }

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
  const ruleId = followsRule ? (p.routeRuleId ?? suggestion?.ruleId ?? null) : null;
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
    route_rule_id: ruleId,
    route_reason: followsRule ? '' : p.routeReason,
    status: target === null ? 'registered' : 'routed',
    origin_org: user.orgCode,
    target_org: target,
    created_by: user.id,
    created_at: createdAt,
    updated_at: nowIso,
    change_seq: seq,
  });
  let last = await addEvent(ctx, p.id, 'registered', `Kayıt numarası ${regNo}`, {
    channel: p.channelCode,
    kvkkNotice: p.kvkkNoticeGiven,
  });
  if (target !== null) {
    const name = ctx.reference.orgNames.get(target) ?? target;
    last = await addEvent(
      ctx,
      p.id,
      'routed',
      followsRule
        ? `${name} (${suggestion?.explanation ?? ruleId ?? ''})`
        : `${name}: ${p.routeReason}`,
      { targetOrg: target, ruleId, reason: followsRule ? null : p.routeReason },
    );
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

/** Re-routing keeps the ŞÖK and its number; who, where and why go on the timeline. */
const applySokRoute: Applier = async (ctx, raw) => {
  const { user } = ctx.auth;
  const parsed = mutationPayloads['sok.route'].safeParse(raw);
  if (!parsed.success) {
    return reject({ code: 'validation', message: INVALID, fields: fieldErrors(parsed.error) });
  }
  const p = parsed.data;
  const row = await writer(ctx).sokById(p.sokId);
  if (!row || !canSee(user, row)) return reject({ code: 'not-found', message: 'ŞÖK bulunamadı.' });
  const callCentre = user.orgKind === 'call-centre' && user.role !== 'admin';
  if (!callCentre && row.target_org !== user.orgCode) {
    return reject(
      {
        code: 'forbidden',
        message: 'Bu ŞÖK’ü yalnızca BİKOM veya şu an sorumlu kurum yönlendirebilir.',
      },
      sokToWire(row, ctx.auth.user.orgCode),
    );
  }
  if (!ctx.reference.orgs.has(p.targetOrg)) {
    return reject(
      { code: 'validation', message: INVALID, fields: { targetOrg: 'Bilinmeyen kurum.' } },
      sokToWire(row, ctx.auth.user.orgCode),
    );
  }
  if (!['registered', 'routed', 'accepted'].includes(row.status)) {
    return reject(
      {
        code: 'conflict',
        message: 'Karar verilmiş bir ŞÖK yönlendirilemez; önce yeniden açılmalı.',
      },
      sokToWire(row, ctx.auth.user.orgCode),
    );
  }
  if (row.target_org === p.targetOrg) {
    return reject(
      { code: 'conflict', message: 'ŞÖK zaten bu kuruma yönlendirilmiş.' },
      sokToWire(row, ctx.auth.user.orgCode),
    );
  }
  const previous = row.target_org;
  const seq = (await writer(ctx).bump('change')).last;
  await writer(ctx).updateSok(p.sokId, {
    target_org: p.targetOrg,
    status: 'routed',
    route_rule_id: null,
    route_reason: p.reason,
    accepted_by: null,
    accepted_at: null,
    updated_at: ctx.now.toISOString(),
    change_seq: seq,
  });
  // The organisation it leaves loses sight of it, unless it also sent it.
  if (previous !== null && previous !== row.origin_org) {
    await writer(ctx).insertRevocation({
      seq: (await writer(ctx).bump('change')).last,
      sok_id: p.sokId,
      org_code: previous,
      created_at: ctx.now.toISOString(),
    });
  }
  const name = ctx.reference.orgNames.get(p.targetOrg) ?? p.targetOrg;
  const last = await addEvent(ctx, p.sokId, 'rerouted', `${name}: ${p.reason}`, {
    from: previous,
    targetOrg: p.targetOrg,
    reason: p.reason,
  });
  // Law 3071 art. 5: the citizen is told where their request went (same number, same ŞÖK).
  const told = await enqueueReceipts(
    ctx.trx,
    {
      ...recipientOf(row),
      topicName: ctx.reference.topicNames.get(row.topic_code) ?? row.topic_code,
      now: ctx.now,
      unsendable: ctx.unsendableChannels,
      purpose: 'referral',
      referral: {
        organisation: name,
        organisationPhone: ctx.reference.orgPhones.get(p.targetOrg) ?? null,
        reason: p.reason,
      },
    },
    writer(ctx),
  );
  return { status: 'applied', seq: Math.max(last, told.lastSeq) };
};

/** Another caller about the same problem: recorded on the open ŞÖK instead of a duplicate. */
const applySokAddContact: Applier = async (ctx, raw) => {
  const parsed = mutationPayloads['sok.addContact'].safeParse(raw);
  if (!parsed.success) {
    return reject({ code: 'validation', message: INVALID, fields: fieldErrors(parsed.error) });
  }
  const p = parsed.data;
  if (!REGISTERING_ROLES.has(ctx.auth.user.role)) {
    return reject({ code: 'forbidden', message: 'Bu rol ŞÖK’e başvuru ekleyemez.' });
  }
  const row = await writer(ctx).sokById(p.sokId);
  if (!row || !canSee(ctx.auth.user, row))
    return reject({ code: 'not-found', message: 'ŞÖK bulunamadı.' });
  const seq = await addEvent(
    ctx,
    p.sokId,
    'contact',
    `${p.citizenName}${p.note ? `: ${p.note}` : ''}`,
    {
      citizenName: p.citizenName,
      citizenPhone: p.citizenPhone,
    },
  );
  return { status: 'applied', seq };
};

const appliers: Record<MutationKind, Applier> = {
  'sok.create': applySokCreate,
  'sok.route': applySokRoute,
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
