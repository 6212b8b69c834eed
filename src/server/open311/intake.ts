import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { normaliseText, text, textLength } from '../../domain/text-input';
import type { District, ReferenceData } from '../../domain/reference';
import { DESCRIPTION_MAX, sokDraftShape } from '../../domain/sok';
import { SokCreatePayloadSchema } from '../../domain/sync';
import { fieldErrors } from '../../domain/validation';
import { foldTurkish, searchTokens } from '../../domain/text';
import { badRequest } from './format';
import { DEFAULT_SOK_TYPE, type ServiceCatalogue } from './services';

/**
 * Turns an Open311 POST (form fields) into the payload of a `sok.create` mutation, the same one
 * a desk pushes, with channel "web". The ŞÖK rules themselves (description length, phone and
 * e-mail, name, contact) are the domain's schema; this module adds what Open311 needs on top:
 * its field names, a location, and a district from `attribute[ilce]` or the address text.
 */
export const WEB_CHANNEL = 'web';

/** Fields a POST may carry. device_id and account_id are accepted and not used. */
const KNOWN_FIELDS = new Set([
  'api_key',
  'jurisdiction_id',
  'service_code',
  'lat',
  'long',
  'address_string',
  'address_id',
  'email',
  'device_id',
  'account_id',
  'first_name',
  'last_name',
  'phone',
  'description',
  'media_url',
  'attribute[ilce]',
  'attribute[mahalle]',
  'attribute[tur]',
]);

/** Where each ŞÖK field comes from, so the domain's messages name the Open311 field. */
const OPEN311_FIELD: Record<string, string> = {
  typeCode: 'attribute[tur]',
  topicCode: 'service_code',
  districtCode: 'attribute[ilce]',
  mahalle: 'attribute[mahalle]',
  address: 'address_string',
  description: 'description',
  citizenName: 'first_name',
  citizenPhone: 'phone',
  citizenEmail: 'email',
  preferredContact: 'phone',
  latitude: 'lat',
  longitude: 'long',
};

/** The Open311 field a ŞÖK field comes from (`citizenPhone` → `phone`). */
export function open311Field(sokField: string): string {
  return OPEN311_FIELD[sokField] ?? sokField;
}

export type SokCreateInput = z.input<typeof SokCreatePayloadSchema>;

/** Problems by Open311 field name; the first message per field wins. */
class Problems {
  readonly #byField = new Map<string, string>();

  add(field: string, message: string): void {
    if (!this.#byField.has(field)) this.#byField.set(field, message);
  }

  throwIfAny(): void {
    if (this.#byField.size === 0) return;
    throw badRequest([...this.#byField].map(([field, message]) => `${field}: ${message}`));
  }
}

/**
 * Reads a form-encoded (or JSON) body into single string values. A JSON `attribute` object is
 * read as `attribute[code]` fields; a field sent twice is a problem, not a silent pick.
 */
export function readFields(body: unknown): { fields: Map<string, string>; problems: string[] } {
  const fields = new Map<string, string>();
  const problems: string[] = [];
  if (body === null || body === undefined) return { fields, problems };
  if (typeof body !== 'object' || Array.isArray(body)) {
    return { fields, problems: ['request: Form alanları bekleniyordu.'] };
  }
  const put = (key: string, value: unknown) => {
    if (value === null || value === undefined) return;
    if (typeof value === 'string') fields.set(key, value.trim());
    else if (typeof value === 'number' || typeof value === 'boolean')
      fields.set(key, String(value));
    else if (Array.isArray(value)) problems.push(`${key}: Yalnızca bir kez gönderilmelidir.`);
    else problems.push(`${key}: Metin bekleniyordu.`);
  };
  for (const [key, value] of Object.entries(body)) {
    if (
      key === 'attribute' &&
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value)
    ) {
      for (const [code, v] of Object.entries(value)) put(`attribute[${code}]`, v);
    } else {
      put(key, value);
    }
  }
  return { fields, problems };
}

/** The same words folded and glued, so "Mustafa Kemal Paşa" and "MUSTAFAKEMALPAŞA" meet. */
const nameKey = (text: string) => searchTokens(text).join('');

/**
 * Districts whose name occurs in free text, as whole words (or up to three adjacent words glued
 * together), with Turkish folding: "Nilüfer", "NILUFER" and "nilufer" are the same place.
 */
export function districtsInText(text: string, districts: readonly District[]): string[] {
  const tokens = searchTokens(text);
  const found: string[] = [];
  for (const district of districts) {
    const key = nameKey(district.name);
    let hit = false;
    for (let i = 0; i < tokens.length && !hit; i++) {
      let joined = '';
      for (let j = i; j < Math.min(tokens.length, i + 3) && !hit; j++) {
        joined += tokens[j];
        hit = joined === key;
      }
    }
    if (hit) found.push(district.code);
  }
  return found;
}

/** A code from a list by its code or (folded) name; null when it names nothing. */
function pick(value: string, list: readonly { code: string; name: string }[]): string | null {
  const folded = foldTurkish(value).trim();
  const key = nameKey(value);
  return list.find((x) => x.code === folded || nameKey(x.name) === key)?.code ?? null;
}

const DECIMAL = /^[+-]?\d{1,3}(\.\d{1,12})?$/;

/** Decimal degrees within ±limit, or null: no exponents, hex or NaN from Number(). */
function coordinate(text: string, limit: number): number | null {
  if (!DECIMAL.test(text)) return null;
  const value = Number(text);
  return Math.abs(value) <= limit ? value : null;
}
const MediaUrl = text({ max: 500, trim: false }).pipe(z.url({ protocol: /^https?$/ }));

export interface IntakeContext {
  data: ReferenceData;
  catalogue: ServiceCatalogue;
}

/**
 * Validates an Open311 POST and builds the `sok.create` payload, or throws a 400 listing every
 * problem with the Open311 field it concerns.
 */
export function intakePayload(
  fields: ReadonlyMap<string, string>,
  context: IntakeContext,
  now: Date,
): SokCreateInput {
  const { data, catalogue } = context;
  const problems = new Problems();
  const get = (key: string) => {
    const value = fields.get(key);
    return value === undefined || value === '' ? null : value;
  };

  for (const key of fields.keys()) {
    if (!KNOWN_FIELDS.has(key)) {
      problems.add(
        key,
        key.startsWith('attribute[')
          ? 'Bu hizmette böyle bir özellik yok (ilce, mahalle, tur).'
          : 'Bilinmeyen alan.',
      );
    }
  }

  const serviceCode = get('service_code');
  if (serviceCode === null) problems.add('service_code', 'Zorunlu alan.');
  else if (catalogue.groups.has(serviceCode)) {
    problems.add(
      'service_code',
      `"${serviceCode}" bir hizmet grubu; alt hizmetlerinden birini seçin.`,
    );
  } else if (!catalogue.definitions.has(serviceCode)) {
    problems.add('service_code', `Bilinmeyen hizmet "${serviceCode}".`);
  }

  // Location: a point, an address text or an address id (at least one).
  const lat = get('lat');
  const long = get('long');
  const addressString = get('address_string') ?? '';
  const addressId = get('address_id') ?? '';
  let latitude: number | null = null;
  let longitude: number | null = null;
  if ((lat === null) !== (long === null)) {
    problems.add(lat === null ? 'lat' : 'long', 'lat ve long birlikte gönderilmelidir.');
  } else if (lat !== null && long !== null) {
    latitude = coordinate(lat, 90);
    longitude = coordinate(long, 180);
    if (latitude === null) problems.add('lat', '-90 ile 90 arasında ondalık derece olmalı.');
    if (longitude === null) problems.add('long', '-180 ile 180 arasında ondalık derece olmalı.');
  }
  if (lat === null && long === null && addressString === '' && addressId === '') {
    problems.add(
      'location',
      'Konum zorunlu: lat ve long, address_string veya address_id gönderin.',
    );
  }
  if (addressId.length > 100) problems.add('address_id', 'En fazla 100 karakter olabilir.');
  const address =
    addressId === ''
      ? addressString
      : `${addressString}${addressString === '' ? '' : ' '}(adres kodu: ${addressId})`;

  // District: the attribute, or a district name in the address text. It decides the routing,
  // so a guess between two districts is refused rather than made.
  let districtCode = '';
  const ilce = get('attribute[ilce]');
  if (ilce !== null) {
    districtCode = pick(ilce, data.districts) ?? '';
    if (districtCode === '') problems.add('attribute[ilce]', `Bilinmeyen ilçe "${ilce}".`);
  } else {
    const found = districtsInText(addressString, data.districts);
    const [only] = found;
    if (found.length === 1 && only !== undefined) districtCode = only;
    else if (found.length > 1) {
      const names = found.map((code) => data.districts.find((d) => d.code === code)?.name ?? code);
      problems.add(
        'attribute[ilce]',
        `Adres birden fazla ilçe adı içeriyor (${names.join(', ')}); ilçeyi attribute[ilce] ile belirtin.`,
      );
    } else {
      problems.add(
        'attribute[ilce]',
        'İlçe zorunlu: attribute[ilce] ile ilçe kodunu gönderin ya da address_string içinde ilçe adını yazın.',
      );
    }
  }

  const tur = get('attribute[tur]');
  const typeCode = tur === null ? DEFAULT_SOK_TYPE : (pick(tur, data.sokTypes) ?? '');
  if (typeCode === '') problems.add('attribute[tur]', `Bilinmeyen başvuru türü "${tur ?? ''}".`);

  // The citizen's own words; a media link (the spec's media_url) is kept with them.
  let description = fields.get('description') ?? '';
  const media = get('media_url');
  if (media !== null) {
    if (!MediaUrl.safeParse(media).success) {
      problems.add('media_url', 'http veya https adresi olmalıdır (en fazla 500 karakter).');
    } else if (sokDraftShape.description.safeParse(description).success) {
      description = `${description.trim()}\n\nEk: ${media}`;
      if (textLength(normaliseText(description)) > DESCRIPTION_MAX) {
        problems.add(
          'description',
          `media_url ile birlikte en fazla ${DESCRIPTION_MAX} karakter olabilir.`,
        );
      }
    }
  }

  const phone = get('phone') ?? '';
  const email = get('email') ?? '';
  const payload: SokCreateInput = {
    id: randomUUID(),
    regNo: null,
    registeredAt: now.toISOString(),
    routeRuleId: null,
    typeCode,
    channelCode: WEB_CHANNEL,
    topicCode: serviceCode ?? '',
    districtCode,
    mahalle: get('attribute[mahalle]') ?? '',
    address,
    description,
    citizenName: `${get('first_name') ?? ''} ${get('last_name') ?? ''}`.trim(),
    citizenPhone: phone,
    citizenEmail: email,
    preferredContact: phone === '' && email !== '' ? 'e-posta' : 'telefon',
    latitude,
    longitude,
    kvkkNoticeGiven: false,
    smsConsent: false,
    targetOrg: null,
    routeReason: '',
  };

  // The ŞÖK rules, as for a desk: reported under the Open311 field names.
  const parsed = SokCreatePayloadSchema.safeParse(payload);
  if (!parsed.success) {
    for (const [key, message] of Object.entries(fieldErrors(parsed.error))) {
      // Already reported in Open311 terms (a missing service_code, an unknown district …).
      problems.add(open311Field(key), message);
    }
  }
  problems.throwIfAny();
  return payload;
}
