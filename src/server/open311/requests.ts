import type { Kysely, Selectable } from 'kysely';
import type { ReferenceData } from '../../domain/reference';
import { formatRegNo, parseRegNo } from '../../domain/regno';
import type { SokStatus } from '../../domain/sok';
import type { Database, SokTable } from '../db/schema';
import { badRequest } from './format';
import type { XmlNode } from './format';
import type { ServiceCatalogue } from './services';

/**
 * GET /requests: ŞÖKs as Open311 service requests. Only the columns below are ever read, so the
 * citizen's name, phone and e-mail (KVKK) cannot leak into a response by accident; the free-text
 * description is left out too, since citizens and agents write personal details into it.
 */
export const PUBLIC_SOK_COLUMNS = [
  'reg_no',
  'status',
  'topic_code',
  'district_code',
  'mahalle',
  'address',
  'latitude',
  'longitude',
  'origin_org',
  'target_org',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof SokTable)[];

export type PublicSokRow = Pick<Selectable<SokTable>, (typeof PUBLIC_SOK_COLUMNS)[number]>;

export interface Open311Request {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string;
  service_name: string;
  service_code: string;
  agency_responsible: string;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
}

/** What a citizen reads about each step (status_notes). */
export const STATUS_NOTES: Record<SokStatus, string> = {
  registered: 'Başvurunuz kaydedildi; ilgili birime yönlendirilmeyi bekliyor.',
  routed: 'Başvurunuz ilgili birime iletildi.',
  accepted: 'Başvurunuz ilgili birim tarafından işleme alındı.',
  decided: 'Başvurunuz sonuçlandırıldı; size bilgi verilecek.',
  informed: 'Başvurunuz sonuçlandırıldı ve size bilgi verildi.',
  closed: 'Başvurunuz kapatıldı.',
};

const TIME_ZONE = 'Europe/Istanbul';
const zoneParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** `2026-03-02T09:00:00.000Z` → `2026-03-02T12:00:00+03:00`: the spec wants a zone, people want local time. */
export function istanbulDateTime(iso: string): string {
  const date = new Date(iso);
  const parts = zoneParts.formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? '00';
  const local = `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}:${part('second')}`;
  const offsetMinutes = Math.round(
    (Date.parse(`${local}Z`) - Math.floor(date.getTime() / 1000) * 1000) / 60000,
  );
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}

export interface RequestMapping {
  data: ReferenceData;
  catalogue: ServiceCatalogue;
  orgNames: ReadonlyMap<string, string>;
}

export function toOpen311Request(row: PublicSokRow, mapping: RequestMapping): Open311Request {
  const service = mapping.catalogue.services.find((s) => s.service_code === row.topic_code);
  const district = mapping.data.districts.find((d) => d.code === row.district_code)?.name ?? '';
  // Not yet routed: the organisation that registered it holds it.
  const agency = row.target_org ?? row.origin_org;
  const status = row.status as SokStatus;
  return {
    service_request_id: row.reg_no,
    status: status === 'closed' ? 'closed' : 'open',
    status_notes: STATUS_NOTES[status] ?? row.status,
    service_name: service?.service_name ?? row.topic_code,
    service_code: row.topic_code,
    agency_responsible: mapping.orgNames.get(agency) ?? agency,
    service_notice: null,
    requested_datetime: istanbulDateTime(row.created_at),
    updated_datetime: istanbulDateTime(row.updated_at),
    expected_datetime: null,
    address: [row.address, row.mahalle, district].filter((part) => part !== '').join(', '),
    address_id: null,
    zipcode: null,
    lat: row.latitude === null ? null : Number(row.latitude),
    long: row.longitude === null ? null : Number(row.longitude),
    media_url: null,
  };
}

/** `<service_requests><request>…</request></service_requests>` */
export function requestsXml(requests: readonly Open311Request[]): XmlNode {
  return { request: requests.map((r) => ({ ...r })) };
}

export const WINDOW_DAYS = 90;
const DAY_MS = 24 * 3600 * 1000;
/** The spec's cap on one answer. */
export const MAX_RESULTS = 1000;
const MAX_IDS = 200;

/** ISO 8601 with a zone (Z or ±hh:mm), as the spec requires; a date without one is ambiguous. */
const ZONED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export type RequestQuery =
  | { kind: 'ids'; regNos: string[] }
  | {
      kind: 'window';
      fromIso: string;
      toIso: string;
      serviceCodes: string[] | null;
      statuses: ('open' | 'closed')[] | null;
    };

const list = (text: string | undefined) =>
  text === undefined
    ? []
    : text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');

/**
 * Reads the spec's filters: service_request_id (a comma list that overrides the rest), or a
 * window of requested_datetime (start_date/end_date, at most 90 days, the last 90 by default)
 * with service_code and status (open|closed), each a comma list.
 */
export function parseRequestQuery(
  query: Readonly<Record<string, string | undefined>>,
  catalogue: ServiceCatalogue,
  now: Date,
): RequestQuery {
  const problems: string[] = [];
  const ids = list(query.service_request_id);
  if (ids.length > 0) {
    if (ids.length > MAX_IDS)
      problems.push(`service_request_id: En fazla ${MAX_IDS} kayıt numarası.`);
    const regNos: string[] = [];
    for (const id of ids) {
      const seq = parseRegNo(id);
      if (seq === null)
        problems.push(`service_request_id: "${id}" geçerli bir kayıt numarası değil.`);
      else regNos.push(formatRegNo(seq));
    }
    if (problems.length > 0) throw badRequest(problems);
    return { kind: 'ids', regNos };
  }

  const date = (name: 'start_date' | 'end_date'): Date | null => {
    const text = query[name];
    if (text === undefined || text === '') return null;
    const ms = Date.parse(text);
    if (!ZONED.test(text) || Number.isNaN(ms)) {
      problems.push(
        `${name}: Saat dilimli ISO 8601 tarih-saat olmalı (ör. 2026-03-01T00:00:00+03:00).`,
      );
      return null;
    }
    return new Date(ms);
  };
  const start = date('start_date');
  const end = date('end_date');
  const to = end ?? (start === null ? now : new Date(start.getTime() + WINDOW_DAYS * DAY_MS));
  const from = start ?? new Date(to.getTime() - WINDOW_DAYS * DAY_MS);
  if (from.getTime() > to.getTime()) {
    problems.push('end_date: start_date değerinden önce olamaz.');
  } else if (to.getTime() - from.getTime() > WINDOW_DAYS * DAY_MS) {
    problems.push(`end_date: Tarih aralığı en fazla ${WINDOW_DAYS} gün olabilir.`);
  }

  const codes = list(query.service_code);
  for (const code of codes) {
    if (!catalogue.definitions.has(code))
      problems.push(`service_code: Bilinmeyen hizmet "${code}".`);
  }
  const statuses = list(query.status);
  for (const status of statuses) {
    if (status !== 'open' && status !== 'closed') {
      problems.push(`status: "${status}" geçersiz; open veya closed olmalı.`);
    }
  }
  if (problems.length > 0) throw badRequest(problems);
  return {
    kind: 'window',
    fromIso: from.toISOString(),
    toIso: to.toISOString(),
    serviceCodes: codes.length > 0 ? codes : null,
    statuses: statuses.length > 0 ? (statuses as ('open' | 'closed')[]) : null,
  };
}

/** The ŞÖKs a query selects, newest first, at most MAX_RESULTS. */
export function findRequests(db: Kysely<Database>, query: RequestQuery): Promise<PublicSokRow[]> {
  let select = db.selectFrom('sok').select(PUBLIC_SOK_COLUMNS).where('deleted', '=', 0);
  if (query.kind === 'ids') {
    select = select.where('reg_no', 'in', query.regNos);
  } else {
    select = select.where('created_at', '>=', query.fromIso).where('created_at', '<=', query.toIso);
    if (query.serviceCodes !== null) select = select.where('topic_code', 'in', query.serviceCodes);
    const statuses = query.statuses;
    if (statuses !== null && statuses.length === 1) {
      select = select.where('status', statuses[0] === 'closed' ? '=' : '<>', 'closed');
    }
  }
  return select
    .orderBy('created_at', 'desc')
    .orderBy('reg_no', 'desc')
    .limit(MAX_RESULTS)
    .execute();
}
