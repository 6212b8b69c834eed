import type { Selectable } from 'kysely';
import { CallbackSchema, DecisionSchema } from '../../domain/workflow';
import { maskEmail, maskName, maskPhone, seesFullContact } from '../../domain/privacy';
import type { ContactPreference, SokStatus } from '../../domain/sok';
import type { SokWire } from '../../domain/sync';
import type { SokTable } from '../db/schema';

export type SokRow = Selectable<SokTable>;

/**
 * The columns `sokToWire` reads: what the pull feed selects, so the driver does not parse the
 * queue and retention columns (claim, escalation, consent versions…) of every pulled row.
 */
export const SOK_WIRE_COLUMNS = [
  'id',
  'reg_no',
  'type_code',
  'channel_code',
  'topic_code',
  'district_code',
  'mahalle',
  'address',
  'description',
  'citizen_name',
  'citizen_phone',
  'citizen_email',
  'preferred_contact',
  'latitude',
  'longitude',
  'kvkk_notice_by',
  'kvkk_notice_at',
  'sms_consent',
  'route_rule_id',
  'route_reason',
  'status',
  'origin_org',
  'target_org',
  'created_by',
  'created_at',
  'updated_at',
  'accepted_by',
  'accepted_at',
  'decision',
  'callback',
  'callback_owner_org',
] as const satisfies readonly (keyof SokTable)[];

/** A ŞÖK row with (at least) the columns its wire form is made of. */
export type SokWireRow = Pick<SokRow, (typeof SOK_WIRE_COLUMNS)[number]>;

/**
 * A ŞÖK as `viewerOrg` may receive it: the citizen's contact details masked unless that
 * organisation took, evaluates or owns the callback of the ŞÖK (KVKK). Without a viewer (server
 * internals) nothing is masked.
 */
export function sokToWire(row: SokWireRow, viewerOrg: string | null = null): SokWire {
  const masked =
    viewerOrg !== null &&
    !seesFullContact(viewerOrg, {
      originOrg: row.origin_org,
      targetOrg: row.target_org,
      callbackOwnerOrg: row.callback_owner_org ?? null,
    });
  return {
    id: row.id,
    regNo: row.reg_no,
    typeCode: row.type_code,
    channelCode: row.channel_code,
    topicCode: row.topic_code,
    districtCode: row.district_code,
    mahalle: row.mahalle,
    address: row.address,
    description: row.description,
    citizenName: masked ? maskName(row.citizen_name) : row.citizen_name,
    citizenPhone: masked ? maskPhone(row.citizen_phone) : row.citizen_phone,
    citizenEmail: masked ? maskEmail(row.citizen_email ?? '') : (row.citizen_email ?? ''),
    preferredContact: (row.preferred_contact ?? 'telefon') as ContactPreference,
    latitude: row.latitude === null ? null : Number(row.latitude),
    longitude: row.longitude === null ? null : Number(row.longitude),
    kvkkNoticeBy: row.kvkk_notice_by,
    kvkkNoticeAt: row.kvkk_notice_at,
    smsConsent: row.sms_consent === 1,
    routeRuleId: row.route_rule_id,
    routeReason: row.route_reason ?? '',
    status: row.status as SokStatus,
    originOrg: row.origin_org,
    targetOrg: row.target_org,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    acceptedBy: row.accepted_by ?? null,
    acceptedAt: row.accepted_at ?? null,
    decision: row.decision ? DecisionSchema.parse(JSON.parse(row.decision)) : null,
    callback: row.callback ? CallbackSchema.parse(JSON.parse(row.callback)) : null,
    contactMasked: masked,
  };
}
