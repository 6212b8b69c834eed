import type { Selectable } from 'kysely';
import type { ContactPreference, SokStatus } from '../../domain/sok';
import type { SokWire } from '../../domain/sync';
import type { SokTable } from '../db/schema';

export type SokRow = Selectable<SokTable>;

export function sokToWire(row: SokRow): SokWire {
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
    citizenName: row.citizen_name,
    citizenPhone: row.citizen_phone,
    citizenEmail: row.citizen_email ?? '',
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
  };
}
