import type { Kysely } from 'kysely';
import type { ReferenceData } from '../../domain/reference';
import { formatRegNo, parseRegNo } from '../../domain/regno';
import {
  mutationPayloads,
  type MutationError,
  type MutationKind,
  type SokWire,
} from '../../domain/sync';
import { fieldErrors } from '../../domain/validation';
import type { AuthContext } from '../auth/context';
import { REGISTERING_ROLES } from '../../domain/session';
import type { Database } from '../db/schema';
import { bumpCounter, nextChangeSeq } from '../db/write-lock';
import { canSee } from '../scope';
import { sokToWire } from './sok-rows';

export type ApplyOutcome =
  | { status: 'applied'; seq: number }
  | { status: 'rejected'; error: MutationError; entity: SokWire | null };

export interface ApplyContext {
  trx: Kysely<Database>;
  auth: AuthContext;
  reference: ReferenceIndex;
  now: Date;
}

/** Reference codes the server checks pushed ŞÖKs against. */
export interface ReferenceIndex {
  types: ReadonlySet<string>;
  channels: ReadonlySet<string>;
  topics: ReadonlySet<string>;
  districts: ReadonlySet<string>;
}

export function indexReference(data: ReferenceData): ReferenceIndex {
  return {
    types: new Set(data.sokTypes.map((x) => x.code)),
    channels: new Set(data.channels.map((x) => x.code)),
    // Only leaf topics can be chosen for a ŞÖK.
    topics: new Set(
      data.topics
        .filter((x) => !data.topics.some((c) => c.parentCode === x.code))
        .map((x) => x.code),
    ),
    districts: new Set(data.districts.map((x) => x.code)),
  };
}

/** A client clock this far ahead of the server is not believed. */
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

const reject = (error: MutationError, entity: SokWire | null = null): ApplyOutcome => ({
  status: 'rejected',
  error,
  entity,
});

type Applier = (ctx: ApplyContext, payload: unknown) => Promise<ApplyOutcome>;

async function visibleSok(ctx: ApplyContext, id: string): Promise<SokWire | null> {
  const row = await ctx.trx.selectFrom('sok').selectAll().where('id', '=', id).executeTakeFirst();
  return row && canSee(ctx.auth.user, row) ? sokToWire(row) : null;
}

const applySokCreate: Applier = async (ctx, raw) => {
  const { user } = ctx.auth;
  const parsed = mutationPayloads['sok.create'].safeParse(raw);
  if (!parsed.success) {
    return reject({
      code: 'validation',
      message: 'ŞÖK bilgileri geçersiz.',
      fields: fieldErrors(parsed.error),
    });
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
  if (Object.keys(fields).length > 0) {
    return reject({ code: 'validation', message: 'ŞÖK bilgileri geçersiz.', fields });
  }
  const existing = await ctx.trx
    .selectFrom('sok')
    .select('id')
    .where('id', '=', p.id)
    .executeTakeFirst();
  if (existing) {
    return reject(
      { code: 'conflict', message: 'Bu ŞÖK başka bir işlemle zaten kaydedilmiş.' },
      await visibleSok(ctx, p.id),
    );
  }

  let regNo: string;
  if (p.regNo === null) {
    regNo = formatRegNo((await bumpCounter(ctx.trx, 'reg_no')).last);
  } else {
    const seq = parseRegNo(p.regNo);
    const block =
      seq === null
        ? undefined
        : await ctx.trx
            .selectFrom('number_block')
            .select('start')
            .where('start', '<=', seq)
            .where('end_incl', '>=', seq)
            .where('client_id', '=', ctx.auth.clientId)
            .executeTakeFirst();
    if (!block) {
      return reject({
        code: 'conflict',
        message: `Kayıt numarası ${p.regNo} bu bilgisayara ayrılmamış.`,
        fields: { regNo: 'Geçersiz kayıt numarası.' },
      });
    }
    const taken = await ctx.trx
      .selectFrom('sok')
      .select('id')
      .where('reg_no', '=', p.regNo)
      .executeTakeFirst();
    if (taken) {
      return reject({ code: 'conflict', message: `Kayıt numarası ${p.regNo} zaten kullanılmış.` });
    }
    regNo = p.regNo;
  }

  const nowIso = ctx.now.toISOString();
  const registered = new Date(p.registeredAt);
  const createdAt =
    registered.getTime() > ctx.now.getTime() + MAX_CLOCK_SKEW_MS
      ? nowIso
      : registered.toISOString();
  const seq = await nextChangeSeq(ctx.trx);
  await ctx.trx
    .insertInto('sok')
    .values({
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
      status: 'registered',
      origin_org: user.orgCode,
      target_org: null,
      created_by: user.id,
      created_at: createdAt,
      updated_at: nowIso,
      change_seq: seq,
    })
    .execute();
  return { status: 'applied', seq };
};

const appliers: Record<MutationKind, Applier> = {
  'sok.create': applySokCreate,
};

export function applyMutation(
  ctx: ApplyContext,
  kind: MutationKind,
  payload: unknown,
): Promise<ApplyOutcome> {
  return appliers[kind](ctx, payload);
}
